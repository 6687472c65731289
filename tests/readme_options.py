#!/usr/bin/python3
"""Keeps README.md's configuration table equal to the binary's option table.
usage: readme_options.py BIN (--write | --check)"""
import re
import subprocess
import sys

BEGIN, END = "<!-- options:begin -->", "<!-- options:end -->"


def main():
    binary, mode = sys.argv[1], sys.argv[2]
    table = subprocess.run([binary, "options-markdown"], capture_output=True, check=True, text=True).stdout
    with open("README.md") as f:
        readme = f.read()
    block = BEGIN + "\n" + table + END
    current = re.search(re.escape(BEGIN) + ".*?" + re.escape(END), readme, re.S)
    if not current:
        sys.exit("README.md has no options markers")
    if mode == "--write":
        with open("README.md", "w") as f:
            f.write(readme[:current.start()] + block + readme[current.end():])
    elif current.group(0) != block:
        sys.exit("README.md configuration table is out of date: run `make readme-options`")


if __name__ == "__main__":
    main()
