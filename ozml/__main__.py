from ozml.cli import console_main

console_main()
