#include <stdio.h>

/* Prints a greeting; the tab-indented body tests whitespace folding. */
int main(void) {
	const char *who = "gantry";
	printf("hello, %s\n", who);
	printf("hello, %s\n", who);
	return 0;
}
