#!/usr/bin/env python3
"""report_check.py REPORT.html [--loose-only] [--expect POLICY=TAG ...] [--not POLICY=TAG ...]
Parses a report.html with html.parser and checks: the first <section> is the summary;
it names a recommended policy; every policy has a mechanisms line whose
data-mechanisms holds the expected tags (and lacks the forbidden ones); no text stands
outside the page's elements (directly in <body>, <html>, or a table's structure).
--loose-only checks that last point alone (a sweep's page has no summary section).
Prints the mechanisms line per policy as "POLICY: TAGS" and exits 1 on a failure."""
import sys
from html.parser import HTMLParser

VOID = {"meta", "br", "img", "input", "link", "hr", "col", "area", "base", "wbr", "source"}
NO_TEXT = {"html", "body", "table", "thead", "tbody", "tr", "ul", "head"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.sections, self.loose = [], [], []
        self.recommended, self.in_rec_policy, self.mech = None, False, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id"))
        if tag == "b" and "policy" in (a.get("class") or "").split() and self.stack and \
           any(t == "p" for t, _ in self.stack):
            self.in_rec_policy = True
        if tag == "li" and "data-policy" in a:
            self.mech[a["data-policy"]] = set((a.get("data-mechanisms") or "").split())
        if tag not in VOID:
            self.stack.append((tag, a))

    def handle_endtag(self, tag):
        if tag == "b":
            self.in_rec_policy = False
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.in_rec_policy and self.recommended is None:
            self.recommended = data.strip()
        if data.strip() and (not self.stack or self.stack[-1][0] in NO_TEXT):
            self.loose.append((self.stack[-1][0] if self.stack else "-", data.strip()[:60]))


def main():
    args = sys.argv[1:]
    page = Page()
    page.feed(open(args[0], encoding="utf-8").read())
    bad = []
    loose_only = "--loose-only" in args
    if loose_only:
        args = [a for a in args if a != "--loose-only"]
    if not loose_only and (not page.sections or page.sections[0] != "summary"):
        bad.append("first section is %r, not summary" % (page.sections[:1],))
    if not loose_only and (not page.recommended or page.recommended not in page.mech):
        bad.append("no recommended policy named (got %r)" % page.recommended)
    for where, text in page.loose:
        bad.append("text outside the page's elements (in <%s>): %r" % (where, text))
    i = 1
    while i < len(args):
        flag, spec = args[i], args[i + 1]
        pol, tag = spec.split("=")
        have = page.mech.get(pol)
        if have is None:
            bad.append("no mechanisms line for %s" % pol)
        elif flag == "--expect" and tag not in have:
            bad.append("%s: expected %s in %s" % (pol, tag, sorted(have)))
        elif flag == "--not" and tag in have:
            bad.append("%s: did not expect %s in %s" % (pol, tag, sorted(have)))
        i += 2
    print("recommended: %s" % page.recommended)
    for pol, tags in page.mech.items():
        print("%s: %s" % (pol, " ".join(sorted(tags))))
    for b in bad:
        print("FAIL: " + b)
    sys.exit(1 if bad else 0)


main()
