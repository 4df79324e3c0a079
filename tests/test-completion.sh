#!/usr/bin/env bash
# test-completion.sh — the bash completion of kleroterion-cli, as bash runs it
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

. /usr/share/bash-completion/bash_completion
. "$1"

failures=0
n=0

# complete WORDS… : runs the completion on the words, the last one being typed
complete_words()
{
    COMP_WORDS=(kleroterion-cli "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _kleroterion_cli kleroterion-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}

expect()
{
    local expected=$1; shift
    local got
    got=$(complete_words "$@")
    n=$((n + 1))
    if [[ " $got " == *" $expected "* ]]; then
        echo "ok $n - '$*' offers $expected"
    else
        echo "not ok $n - '$*' offers $expected, got: $got"
        failures=$((failures + 1))
    fi
}

expect_not()
{
    local unexpected=$1; shift
    local got
    got=$(complete_words "$@")
    n=$((n + 1))
    if [[ " $got " != *" $unexpected "* ]]; then
        echo "ok $n - '$*' does not offer $unexpected"
    else
        echo "not ok $n - '$*' offers $unexpected"
        failures=$((failures + 1))
    fi
}

expect select se
expect check ch
expect default-settings def
expect --json check --j
expect_not --json select --j
expect --remaining-csv select --rem
expect maximin select --algorithm m
expect jsonl select --progress j
expect --tightness generate --ti
expect --runs analyse --ru

echo "1..$n"
exit $((failures > 0))
