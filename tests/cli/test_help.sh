# The help: every command's --help (exit 0, its synopsis, options and an example) equals
# `fgsim help CMD`; every option a command's help lists is one its parser takes; the
# man page, printed from the same table, is valid roff naming every command; and
# `make install PREFIX=...` installs the program, the man page and the plugin header.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$FGSIM" help
cp "$TMP/out" "$TMP/general"
expect_out '^commands:'
expect_exit 0 "$FGSIM" --help
expect_same "$TMP/general" "$TMP/out"
# The commands, as the general help lists them: "  NAME  summary" after "commands:".
cmds=$(sed -n '/^commands:/,/^$/{/^  [a-z]/s/^  \([a-z-]*\) .*/\1/p}' "$TMP/general")
ok; [ "$(echo $cmds | wc -w)" -ge 10 ] || fail "the general help lists only: $cmds"
for c in run check sweep plan analytic plot calibrate keys metrics help; do
	ok; echo " $cmds " | tr '\n' ' ' | grep -q " $c " || fail "the general help does not list $c"
done
for c in $cmds; do
	expect_exit 0 "$FGSIM" help "$c"
	cp "$TMP/out" "$TMP/help-$c"
	expect_out "^usage: fgsim $c"
	ok; grep -A1 '^example:' "$TMP/help-$c" | grep -q "^  fgsim $c" || fail "help $c has no example of fgsim $c"
	ok; grep -q '^options:' "$TMP/help-$c" || fail "help $c lists no options"
	ok; awk 'length > 80' "$TMP/help-$c" | grep -q . && fail "help $c has lines over 80 columns"
	ok; grep -q "  fgsim $c" "$TMP/general" || fail "the general help lacks the synopsis of $c"
	[ "$c" = help ] && continue
	expect_exit 0 "$FGSIM" "$c" --help
	expect_same "$TMP/help-$c" "$TMP/out"
	expect_exit 0 "$FGSIM" "$c" -h
	expect_same "$TMP/help-$c" "$TMP/out"
done
# --help after other arguments: the parser's, the same help, exit 0
for c in run check sweep plan; do
	expect_exit 0 "$FGSIM" "$c" "$ROOT/scenarios/mmc.cfg" --set run.horizon=1d --help
	expect_same "$TMP/help-$c" "$TMP/out"
done
# Every option a scenario command's help names is one its parser takes (an unknown one
# is "unknown or incomplete option"), and shows its default where it has one.
for c in run check sweep plan; do
	sed -n '/^options:/,/^$/p' "$TMP/help-$c" | grep -E '^  -' | grep -v -- '-h, --help' |
		sed 's/^  //; s/  .*//' >"$TMP/opts-$c"
	ok; [ -s "$TMP/opts-$c" ] || fail "no options read from help $c"
	while read -r name operand; do
		if [ -n "$operand" ]; then
			"$FGSIM" "$c" "$TMP/none.cfg" "$name" x >"$TMP/out" 2>"$TMP/err"
		else
			"$FGSIM" "$c" "$TMP/none.cfg" "$name" >"$TMP/out" 2>"$TMP/err"
		fi
		ok; grep -q 'unknown or incomplete option' "$TMP/err" && fail "help $c lists $name, which $c refuses"
	done <"$TMP/opts-$c"
done
# (the text is wrapped: its lines joined first)
ok; tr -s '\n ' '  ' <"$TMP/help-run" | grep -q 'default: the number of online CPUs' ||
	fail "help run does not give -j's default"
ok; tr -s '\n ' '  ' <"$TMP/help-sweep" | grep -q 'default: results/NAME-sweep' ||
	fail "help sweep does not give -o's default"
# Bad usage prints the synopsis from the same table, on stderr, exit 2.
expect_exit 2 "$FGSIM" run
expect_err '^usage: fgsim run SCENARIO.cfg'
expect_err 'fgsim help run'
expect_exit 2 "$FGSIM" help nosuch
expect_err 'unknown command "nosuch"; the commands: run, check, sweep, plan'
expect_exit 2 "$FGSIM" help plna
expect_err 'did you mean "plan"'
expect_exit 2 "$FGSIM" rnu
expect_err 'unknown command "rnu" \(did you mean "run"\?\)'

# The man page: the roff man macros' structure, every command, and clean under groff.
expect_exit 0 "$FGSIM" help --man
cp "$TMP/out" "$TMP/fgsim.1"
ok; head -1 "$TMP/fgsim.1" | grep -q '^\.TH FGSIM 1 ' || fail "the man page does not open with .TH FGSIM 1"
for s in NAME SYNOPSIS DESCRIPTION COMMANDS 'EXIT STATUS'; do
	ok; grep -q "^\.SH $s\$" "$TMP/fgsim.1" || fail "the man page has no section $s"
done
for c in $cmds; do
	ok; grep -q "^\.SS \"fgsim $c\"" "$TMP/fgsim.1" || fail "the man page does not describe fgsim $c"
done
# an option's '-' is the minus \- in roff, so that it can be searched for and copied
ok; grep -nE '(^|[^\\])-' "$TMP/fgsim.1" >"$TMP/hyph" && fail "a bare '-' in the man page: $(head -3 "$TMP/hyph")"
if command -v groff >/dev/null 2>&1; then
	expect_exit 0 groff -man -Tutf8 -ww -z "$TMP/fgsim.1"
	ok; [ -s "$TMP/err" ] && fail "groff warns about the man page: $(head -c 300 "$TMP/err")"
	groff -man -Tascii "$TMP/fgsim.1" 2>/dev/null | sed 's/.\x08//g' >"$TMP/man.txt"
	for c in $cmds; do
		ok; grep -q "fgsim $c" "$TMP/man.txt" || fail "the rendered man page does not show fgsim $c"
	done
	ok; grep -q -- '--policy-add POLICY' "$TMP/man.txt" || fail "the rendered man page lacks --policy-add"
else
	echo "note: groff not installed; the man page's structure alone was checked"
fi
# The page make builds is the one fgsim prints.
if [ -f "$BUILD/fgsim.1" ]; then expect_same "$TMP/fgsim.1" "$BUILD/fgsim.1"; fi

# make install: DESTDIR before PREFIX; fgsim, fgcal when built, the page, the header.
bindir=$(dirname "$FGSIM")
case "$BUILD" in /*) build=$BUILD ;; *) build=$ROOT/$BUILD ;; esac
expect_exit 0 make -s -C "$ROOT" install BUILD="$build" BIN="$bindir" PREFIX=/opt/fg DESTDIR="$TMP/dest"
x="$TMP/dest/opt/fg"
ok; [ -x "$x/bin/fgsim" ] || fail "make install did not install bin/fgsim"
expect_file "$x/share/man/man1/fgsim.1"
expect_file "$x/include/fgsim_plugin.h"
expect_same "$ROOT/models/fgsim_plugin.h" "$x/include/fgsim_plugin.h"
if [ -x "$bindir/fgcal" ]; then
	ok; [ -x "$x/bin/fgcal" ] || fail "make install did not install the fgcal that was built"
fi
expect_exit 0 "$x/bin/fgsim" --version
if command -v man >/dev/null 2>&1; then
	expect_exit 0 env MANWIDTH=80 man -l "$x/share/man/man1/fgsim.1"
	expect_out 'fgsim plan'
fi
finish
