# bash completion for hivelint                                    -*- shell-script -*-
# Built from the binary's own --help (subcommands, options, the {a,b} value lists CLI11 prints), so it follows
# the options without a second list to keep true; rule ids come from `hivelint rules list`.

_hivelint_help() { # SUBCOMMAND... -> that command's --help text
  "${_hivelint_bin:-hivelint}" "$@" --help 2>/dev/null
}

_hivelint_subcommands() {
  _hivelint_help | awk '/^Subcommands:/ {on = 1; next} on && !NF {exit} on {print $1}'
}

_hivelint_options() { # SUBCOMMAND -> its option names, one per line
  _hivelint_help "$1" | awk '/^Options:/ {on = 1; next} on && /^  -/ {
      split($1, names, ","); for (i in names) if (names[i] ~ /^-/) print names[i] }'
}

_hivelint_option_line() { # SUBCOMMAND OPTION -> the --help line that defines OPTION
  _hivelint_help "$1" | awk -v opt="$2" '/^  -/ { n = split($1, names, ","); for (i = 1; i <= n; i++)
      if (names[i] == opt) { print; exit } }'
}

_hivelint_rule_ids() {
  "${_hivelint_bin:-hivelint}" rules list 2>/dev/null | awk 'NF {print $1}'
}

_hivelint() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD - 1]}"
  local _hivelint_bin="${COMP_WORDS[0]}"
  COMPREPLY=()

  local sub="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ "${COMP_WORDS[i]}" != -* ]] && { sub="${COMP_WORDS[i]}"; break; }
  done
  if [[ -z "$sub" ]]; then
    if [[ "$cur" == -* ]]; then
      mapfile -t COMPREPLY < <(compgen -W "--help --version" -- "$cur")
    else
      mapfile -t COMPREPLY < <(compgen -W "$(_hivelint_subcommands)" -- "$cur")
    fi
    return
  fi

  # The value of an option.
  if [[ "$prev" == -* ]]; then
    local line
    line="$(_hivelint_option_line "$sub" "$prev")"
    case "$prev" in
      --control-set) mapfile -t COMPREPLY < <(compgen -W "current default lastknowngood failed all 1 2 3" -- "$cur"); return ;;
      --reg-root) mapfile -t COMPREPLY < <(compgen -W "live offline:" -- "$cur"); [[ "${COMPREPLY[0]}" == offline: ]] && compopt -o nospace; return ;;
      --rule) mapfile -t COMPREPLY < <(compgen -W "$(_hivelint_rule_ids)" -- "$cur"); return ;;
    esac
    if [[ "$line" =~ :\{([^}]*)\} ]]; then
      mapfile -t COMPREPLY < <(compgen -W "${BASH_REMATCH[1]//,/ }" -- "$cur")
      return
    fi
    if [[ "$line" =~ ^\ +[^\ ]+\ +(TEXT|FILE|UINT|INT) ]]; then
      [[ "${BASH_REMATCH[1]}" == *INT ]] && return
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return
    fi
  fi

  if [[ "$cur" == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_hivelint_options "$sub")" -- "$cur")
    return
  fi
  if [[ "$sub" == rules ]]; then
    if [[ "$prev" == rules ]]; then
      mapfile -t COMPREPLY < <(compgen -W "list show" -- "$cur")
    elif [[ "$prev" == show ]]; then
      mapfile -t COMPREPLY < <(compgen -W "$(_hivelint_rule_ids)" -- "$cur")
    fi
    return
  fi
  compopt -o filenames 2>/dev/null
  mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}
complete -F _hivelint hivelint
