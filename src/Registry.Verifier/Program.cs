// The runtime starts from main.js, which calls the exported functions of VerifierExports; nothing runs at start.
return 0;
