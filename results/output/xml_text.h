/* Text and attribute values in XML (JUnit reports, SVG): the five
 * predefined entities, and control characters left out (XML 1.0 has no
 * way to write them), but for the tab. */
#ifndef BOOTBENCH_XML_TEXT_H
#define BOOTBENCH_XML_TEXT_H

#include <stdio.h>

void bb_xml_escaped(FILE *f, const char *s);

#endif
