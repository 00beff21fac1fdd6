#include <cstdio>
int main() { std::puts("valuepact"); return 0; }
