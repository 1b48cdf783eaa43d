/* The main() of bb_layer_check_*: a program made of one layer's every
 * object and the layers below it, which links only if the layer calls
 * nothing above it. It is built, never run. */
int main(void)
{
	return 0;
}
