# bash completion for vapidash                                   -*- shell-script -*-
# Installed by `cmake --install` as share/bash-completion/completions/vapidash; or: source completions/vapidash.bash

_vapidash() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null; then
    _init_completion || return
  else
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi

  local commands="serve call event webhook calls show timeline tail control listen replay load simulate scenario db"
  local global="--help -h --version --server --cacert --insecure -k --token --timeout --json --quiet -q --no-color"

  local command="" i
  for ((i = 1; i < cword; i++)); do
    case " $commands " in *" ${words[i]} "*) command=${words[i]}; break ;; esac
  done

  case $prev in
    --sync) COMPREPLY=($(compgen -W "full normal" -- "$cur")); return ;;
    --payloads) COMPREPLY=($(compgen -W "compact full none" -- "$cur")); return ;;
    --log-level) COMPREPLY=($(compgen -W "trace debug info warn error off" -- "$cur")); return ;;
    --log-format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
    --status) COMPREPLY=($(compgen -W "scheduled queued ringing in-progress forwarding ended" -- "$cur")); return ;;
    --type) COMPREPLY=($(compgen -W "call-upsert status-event transcript-update" -- "$cur")); return ;;
    --channels) COMPREPLY=($(compgen -W "both customer assistant" -- "$cur")); return ;;
    --db|--tenants|--file|--cacert|--upstream-cacert|--junit|--out|--scenario|--audio) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac

  local flags
  case $command in
    serve) flags="--listen --db --sync --tenants --webhook-secret --cors-origins --payloads --retain --max-listeners-per-call --max-listeners --upstream-cacert --control-timeout --threads --log-level --log-format" ;;
    call) flags="--id --phone --status --payload" ;;
    event) flags="--payload" ;;
    webhook) flags="--call --status --set --file --secret --hmac-secret" ;;
    calls) flags="--status --limit --before --all --watch" ;;
    show|timeline) flags="" ;;
    tail) flags="--client --events --transcripts --status --type --count --for" ;;
    control) flags="--end-after --message --respond" ;;
    listen) flags="--out --channels --for --raw" ;;
    replay) flags="--embedded --tags --skip-tags --var --seed --speed --repeat --parallel --junit --secret --hmac-secret" ;;
    load) flags="--embedded --rate --ramp-to --ramp-for --calls --for --dashboards --feed-server --stalled-dashboards --all-tenants --connections --max-in-flight --threads --threshold --out --seed --var --secret --hmac-secret --drain" ;;
    simulate) flags="--client --calls --rate --call-length --scenario --audio --listen --call-prefix --hold --control-delay --secret --hmac-secret" ;;
    scenario) flags="--var" ;;
    db) flags="--db --older-than --client --dry-run" ;;
    "")
      if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$global" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
      fi
      return ;;
  esac

  if [[ $command == webhook && $cur != -* ]]; then
    COMPREPLY=($(compgen -W "status-update end-of-call-report transcript speech-update conversation-update hang tool-calls assistant-request transfer-destination-request user-interrupted" -- "$cur"))
    return
  fi
  if [[ $command == scenario && $cur != -* && " ${words[*]} " != *" validate "* && " ${words[*]} " != *" list "* ]]; then
    COMPREPLY=($(compgen -W "validate list" -- "$cur"))
    return
  fi
  if [[ $command == db && $cur != -* ]]; then
    if [[ " ${words[*]} " != *" stats "* && " ${words[*]} " != *" backup "* && " ${words[*]} " != *" prune "* && " ${words[*]} " != *" vacuum "* ]]; then
      COMPREPLY=($(compgen -W "stats backup prune vacuum" -- "$cur"))
    else
      COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return
  fi
  if [[ $command == control && $cur != -* ]]; then
    local action
    for action in say transfer end mute-assistant unmute-assistant add-message; do
      [[ " ${words[*]} " == *" $action "* ]] && return
    done
    COMPREPLY=($(compgen -W "say transfer end mute-assistant unmute-assistant add-message" -- "$cur"))
    return
  fi
  if [[ ($command == replay || $command == load || $command == scenario) && $cur != -* ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
    return
  fi
  [[ $cur == -* ]] && COMPREPLY=($(compgen -W "$flags $global" -- "$cur"))
}

complete -F _vapidash vapidash
