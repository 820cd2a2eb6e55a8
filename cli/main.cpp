#include <iostream>
int main() { std::cout << "sohoa\n"; }
