import sys

from ozml.cli import main

sys.exit(main())
