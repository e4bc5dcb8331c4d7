# The layers of models/ (README, How it is built) are enforced by the compiler: each file
# compiles with its own layer's and the lower layers' include paths only (the Makefile's
# INC_<layer>), so an include that runs up a layer does not build. Here, a copy of one
# file of each layer, with one header of each higher layer included, must fail to
# compile with that file's flags (asked of make), while the unmodified copy compiles.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
CC=${CC:-cc}

# flags FILE: the preprocessor flags make compiles FILE with.
flags() { make -s --no-print-directory print-layer-inc FILE="$1"; }

# A copy of FILE at the same depth under $TMP/tree, so that its "../fgsim_plugin.h"
# (the public plugin header, the one include outside the -I paths) still resolves; its
# other includes can only be found through the -I flags.
mkdir -p "$TMP/tree/models" "$TMP/tree/sim"
ln -s "$ROOT/models/fgsim_plugin.h" "$TMP/tree/models/fgsim_plugin.h"
probe() { # probe FILE [HEADER]: compiles FILE's copy, with #include "HEADER" first if given
	copy="$TMP/tree/$1"
	mkdir -p "$(dirname "$copy")"
	{ [ -z "$2" ] || printf '#include "%s"\n' "$2"; cat "$1"; } >"$copy"
	# shellcheck disable=SC2046 # the flags are words
	$CC $(flags "$1") -fsyntax-only "$copy" >"$TMP/out" 2>"$TMP/err"
}

# One file of each layer, lowest first, and a header that only its layer has.
set -- sim/stats.c:stats.h \
	models/platform/jobs.c:platform.h \
	models/scenario/scenario_override.c:scenario_load.h \
	models/experiment/warmup.c:experiment.h \
	models/report/outdir.c:output.h \
	models/cli/cmd_run.c:cmd.h
layers="$*"
for low in $layers; do
	file=${low%%:*}
	[ -f "$file" ] || { fail "$file is missing: update this test with the layers"; continue; }
	ok; probe "$file" || fail "$file does not compile with its own layer's flags: $(head -c 300 "$TMP/err")"
	above=0
	for high in $layers; do
		[ "$high" = "$low" ] && { above=1; continue; }
		[ $above = 1 ] || continue
		header=${high#*:}
		ok
		if probe "$file" "$header"; then
			fail "$file compiles with #include \"$header\" (a higher layer's header) added"
		elif ! grep -q "$header: No such file" "$TMP/err"; then
			fail "$file with \"$header\" failed, but not for the missing header: $(head -c 300 "$TMP/err")"
		fi
	done
done

# The -I rule cannot see a path that climbs out of a folder ("../x.h", "report/x.h"): the
# only one allowed is the public plugin header.
ok
bad=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*/' sim/*.[ch] models/*/*.[ch] models/*/*/*.[ch] 2>/dev/null |
	grep -v '"\.\./fgsim_plugin\.h"')
[ -z "$bad" ] || fail "includes with a folder in them: $bad"

# A header name means one file: no layer may shadow another's header.
ok
dup=$(for h in sim/*.h models/*/*.h; do basename "$h"; done | sort | uniq -d)
[ -z "$dup" ] || fail "header names used twice: $dup"

# The library holds no command line: bin/fgsim links cli/ on top of it.
: "${BUILD:=build}"
if [ -f "$BUILD/libfgsim.a" ]; then
	ok
	cli=$(ar t "$BUILD/libfgsim.a" | grep -E '^(main|cmd_[a-z_]*)\.o$')
	[ -z "$cli" ] || fail "libfgsim.a holds the command line: $cli"
fi

# No circles: between any two files of the engine and the layers, at most one needs the
# other (calls it, uses its data or includes its header; tests/cli/cycles.py reads the
# objects' symbol tables). First the checker itself must see a planted pair that call
# each other, and a pair that include each other's header, or a pass proves nothing.
mkdir -p "$TMP/cyc/o"
printf 'int b(int);\nint a(int x) { return x ? b(x - 1) : 0; }\n' >"$TMP/cyc/a.c"
printf 'int a(int);\nint b(int x) { return x ? a(x - 1) : 1; }\n' >"$TMP/cyc/b.c"
printf 'int c(void);\n' >"$TMP/cyc/c.h"
printf 'int d(void);\n' >"$TMP/cyc/d.h"
printf '#include "d.h"\nint c(void) { return 1; }\n' >"$TMP/cyc/c.c"
printf '#include "c.h"\nint d(void) { return 2; }\n' >"$TMP/cyc/d.c"
for f in a b c d; do (cd "$TMP/cyc" && $CC -c $f.c -o o/$f.o) || fail "cannot compile the planted $f.c"; done
ok
(cd "$TMP/cyc" && python3 "$ROOT/tests/cli/cycles.py" o a.c b.c) >"$TMP/out" 2>&1 &&
	fail "cycles.py missed two files that call each other"
grep -q "a -> b (b)" "$TMP/out" || fail "cycles.py did not say which call closes the loop: $(cat "$TMP/out")"
ok
(cd "$TMP/cyc" && python3 "$ROOT/tests/cli/cycles.py" o c.c c.h d.c d.h) >"$TMP/out" 2>&1 &&
	fail "cycles.py missed two files that include each other's header"
grep -q "c -> d (#include d.h)" "$TMP/out" || fail "cycles.py did not name the include: $(cat "$TMP/out")"
if [ -f "$BUILD/libfgsim.a" ]; then
	ok
	# shellcheck disable=SC2046 # the file list is words
	python3 tests/cli/cycles.py "$BUILD" $(ls sim/*.[ch] models/platform/*.[ch] models/scenario/*.[ch] \
		models/experiment/*.[ch] models/report/*.[ch] models/cli/*.[ch]) >"$TMP/out" 2>&1 ||
		fail "$(cat "$TMP/out")"
fi
finish
