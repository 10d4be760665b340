#!/usr/bin/env bash
# Mutation check: applies each one-line mutation of .ci/mutants.txt, one at
# a time, to a scratch copy of the repository and runs the tests of the
# mutated package. A mutant whose tests still pass is a bug the suite
# would let land: it is reported as a survivor. A mutation whose line is
# gone, repeated, or which does not compile is reported as an error (the
# list is stale), never as caught. Exits non-zero when anything survived
# or erred. `make mutants` runs it inside the throwaway desktop session,
# which some packages' tests need.
#
# Usage: .ci/mutants.sh [ID...]   (no IDs: every mutant of the list)
# MUTANTS_FILE (default .ci/mutants.txt), MUTANTS_TIMEOUT (seconds per
# package run, default 900).
set -euo pipefail
cd "$(dirname "$0")/.."
list=${MUTANTS_FILE:-.ci/mutants.txt}
limit=${MUTANTS_TIMEOUT:-900}
only=" $* "

declare -A files=()
ids=() m_file=() m_pkg=() m_old=() m_new=()
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
  lineno=$((lineno + 1))
  line=${line%$'\r'}
  case "$line" in
    '' | '#'*) continue ;;
  esac
  read -r kw a b c <<<"$line"
  case "$kw" in
    file) files[$a]=$b ;;
    mutant)
      [ -n "${files[$b]:-}" ] || { echo "$list:$lineno: mutant $a names file $b, which no 'file' line defines" >&2; exit 2; }
      ids+=("$a"); m_file+=("${files[$b]}"); m_pkg+=("${c:-./$(dirname "${files[$b]}")}"); m_old+=(""); m_new+=("") ;;
    -) m_old[${#ids[@]} - 1]=$(sed 's/^- *//; s/[[:space:]]*$//' <<<"$line") ;;
    +) m_new[${#ids[@]} - 1]=$(sed 's/^+ *//; s/[[:space:]]*$//' <<<"$line") ;;
    *) echo "$list:$lineno: cannot read: $line" >&2; exit 2 ;;
  esac
done <"$list"

# The scratch copy: what the working tree holds now (tracked and new files).
scratch=$(mktemp -d /tmp/dialbridge-mutants.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
git ls-files -z -co --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] && printf '%s\0' "$f"
done | tar --null -T - -cf - | tar -xf - -C "$scratch"
mkdir -p "$scratch/.mutants"

# runtests PKG LOG: the package's tests in the scratch copy; prints
# pass, fail, timeout or nobuild.
runtests() {
  local status=0
  (cd "$scratch" && timeout --kill-after=30s "$limit" go test -count=1 -failfast -timeout "$((limit - 10))s" "$1") >"$2" 2>&1 || status=$?
  if [ "$status" = 0 ]; then
    echo pass
  elif grep -qE '\[(build|setup) failed\]' "$2"; then
    echo nobuild
  elif [ "$status" = 124 ] || [ "$status" = 137 ] || grep -q '^panic: test timed out' "$2"; then
    echo timeout
  else
    echo fail
  fi
}

# count the lines of FILE equal to $OLD without indentation.
count() {
  OLD=$1 awk '{ t = $0; sub(/^[ \t]+/, "", t); sub(/[ \t]+$/, "", t); if (t == ENVIRON["OLD"]) n++ } END { print n + 0 }' "$2"
}

survivors=() errors=()
declare -A baseline=()
for i in "${!ids[@]}"; do
  id=${ids[$i]} file=${m_file[$i]} pkg=${m_pkg[$i]}
  case "$only" in "  ") ;; *" $id "*) ;; *) continue ;; esac
  target="$scratch/$file"
  if [ -z "${m_old[$i]}" ] || [ -z "${m_new[$i]}" ]; then
    echo "ERROR    $id: the list gives no '-' or no '+' line"; errors+=("$id"); continue
  fi
  if [ ! -f "$target" ]; then
    echo "ERROR    $id: $file does not exist (stale list: update its 'file' line)"; errors+=("$id"); continue
  fi
  n=$(count "${m_old[$i]}" "$target")
  if [ "$n" != 1 ]; then
    echo "ERROR    $id: the line occurs $n times in $file, want once (stale list): ${m_old[$i]}"; errors+=("$id"); continue
  fi
  # The package must pass unmutated, or every mutant of it looks caught.
  if [ -z "${baseline[$pkg]:-}" ]; then
    baseline[$pkg]=$(runtests "$pkg" "$scratch/.mutants/baseline.log")
    if [ "${baseline[$pkg]}" != pass ]; then
      echo "ERROR    the tests of $pkg do not pass without a mutation (${baseline[$pkg]}):"
      tail -30 "$scratch/.mutants/baseline.log"
    fi
  fi
  if [ "${baseline[$pkg]}" != pass ]; then
    echo "ERROR    $id: $pkg fails without the mutation"; errors+=("$id"); continue
  fi
  cp "$target" "$scratch/.mutants/original"
  OLD=${m_old[$i]} NEW=${m_new[$i]} awk '{
      t = $0; sub(/^[ \t]+/, "", t); sub(/[ \t]+$/, "", t)
      if (t == ENVIRON["OLD"]) { match($0, /^[ \t]*/); print substr($0, 1, RLENGTH) ENVIRON["NEW"]; next }
      print
    }' "$scratch/.mutants/original" >"$target"
  start=$SECONDS
  log="$scratch/.mutants/$id.log"
  result=$(runtests "$pkg" "$log")
  cp "$scratch/.mutants/original" "$target"
  took=$((SECONDS - start))
  case "$result" in
    fail)
      first=$(grep -E '^\s*--- FAIL' "$log" | tail -1 | sed 's/^[[:space:]]*--- FAIL: //' || true)
      echo "caught   $id ($pkg, ${took}s): ${first:-the package failed}" ;;
    pass)
      echo "SURVIVED $id: $file, '${m_old[$i]}' -> '${m_new[$i]}': every test of $pkg passed"; survivors+=("$id") ;;
    nobuild)
      echo "ERROR    $id: the mutation does not compile, so it proves nothing (fix the '+' line):"
      grep -m5 -vE '^(FAIL|ok)' "$log" || true
      errors+=("$id") ;;
    timeout)
      echo "ERROR    $id: the tests of $pkg ran out of time (${limit}s) instead of failing:"
      tail -5 "$log"
      errors+=("$id") ;;
  esac
done

echo
echo "mutants: ${#survivors[@]} survived, ${#errors[@]} errors"
[ "${#survivors[@]}" = 0 ] && [ "${#errors[@]}" = 0 ]
