#!/usr/bin/env python
import sys

from yuyue.cli import main

if __name__ == "__main__":
    sys.exit(main())
