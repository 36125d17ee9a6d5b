#!/usr/bin/env python3
"""Prints each failed test of a ctest JUnit report with the first lines that say why.

Usage: failed_tests.py <junit.xml>. scripts/test.sh repeats these lines beside its summary.
"""
import re
import sys
import xml.etree.ElementTree as ET

WHY = re.compile(r"Failure|error|Expected|Which is|Value of|Actual|Timeout|Exception|Sanitizer")

for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    if case.get("status") not in ("fail", "failed", "timeout") and case.find("failure") is None:
        continue
    print(f"{case.get('name')} ({float(case.get('time') or 0):.1f} s)")
    out = case.findtext("system-out") or ""
    shown = 0
    for line in out.splitlines():
        if WHY.search(line) and shown < 12:
            print("      " + line.strip()[:200])
            shown += 1
