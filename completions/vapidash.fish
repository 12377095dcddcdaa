# fish completion for vapidash. Installed by `cmake --install` into share/fish/vendor_completions.d.

set -l commands serve call event webhook calls show timeline tail replay scenario
set -l statuses scheduled queued ringing in-progress forwarding ended

complete -c vapidash -f
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a serve -d 'Run the dashboard server'
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a call -d 'Create or update a debug call'
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a event -d 'Log a status event on a call'
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a webhook -d 'Send one VAPI-shaped server message'
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a calls -d "List a tenant's calls"
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a show -d 'One call in full'
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a timeline -d "A call's status-event timeline"
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a tail -d 'Follow the live dashboard feed'
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a replay -d 'Run scripted VAPI scenarios and check the results'
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a scenario -d 'Validate or list scenario files'

complete -c vapidash -s h -l help -d 'Show help'
complete -c vapidash -l version -d 'Print the version'
complete -c vapidash -l server -r -d 'Server URL'
complete -c vapidash -l cacert -r -F -d 'CA certificates (PEM) to trust for https'
complete -c vapidash -s k -l insecure -d 'Do not verify the https certificate'
complete -c vapidash -l token -r -d 'Dashboard or admin token'
complete -c vapidash -l timeout -r -d 'Seconds to wait for the server'
complete -c vapidash -l json -d 'Machine output'
complete -c vapidash -s q -l quiet -d 'Print only ids'
complete -c vapidash -l no-color -d 'No colours'

complete -c vapidash -n '__fish_seen_subcommand_from serve' -l listen -r -d 'HOST:PORT to listen on'
complete -c vapidash -n '__fish_seen_subcommand_from serve' -l db -r -F -d 'SQLite file'
complete -c vapidash -n '__fish_seen_subcommand_from serve' -l sync -x -a 'full normal' -d 'Durability'
complete -c vapidash -n '__fish_seen_subcommand_from serve' -l tenants -r -F -d 'Tenants file'
complete -c vapidash -n '__fish_seen_subcommand_from serve' -l webhook-secret -r -d 'Secret for every tenant'
complete -c vapidash -n '__fish_seen_subcommand_from serve' -l cors-origins -r -d 'Browser origins allowed: *, a list, or none'
complete -c vapidash -n '__fish_seen_subcommand_from serve' -l threads -r -d 'I/O threads'
complete -c vapidash -n '__fish_seen_subcommand_from serve' -l log-level -x -a 'trace debug info warn error off'
complete -c vapidash -n '__fish_seen_subcommand_from serve' -l log-format -x -a 'text json'

complete -c vapidash -n '__fish_seen_subcommand_from call' -l id -r -d 'Call id'
complete -c vapidash -n '__fish_seen_subcommand_from call' -l phone -r -d "Caller's number"
complete -c vapidash -n '__fish_seen_subcommand_from call calls webhook tail' -l status -x -a "$statuses" -d 'Status'
complete -c vapidash -n '__fish_seen_subcommand_from call event' -l payload -r -d 'Event payload: JSON or @file'

complete -c vapidash -n '__fish_seen_subcommand_from webhook' -a 'status-update end-of-call-report transcript speech-update conversation-update hang tool-calls assistant-request transfer-destination-request user-interrupted'
complete -c vapidash -n '__fish_seen_subcommand_from webhook' -l call -r -d 'Call id'
complete -c vapidash -n '__fish_seen_subcommand_from webhook' -l set -r -d 'Override a field: path=value'
complete -c vapidash -n '__fish_seen_subcommand_from webhook' -l file -r -F -d 'Message JSON file'
complete -c vapidash -n '__fish_seen_subcommand_from webhook' -l secret -r -d 'Send x-vapi-secret'
complete -c vapidash -n '__fish_seen_subcommand_from webhook' -l hmac-secret -r -d 'Sign with HMAC-SHA256'

complete -c vapidash -n '__fish_seen_subcommand_from calls' -l limit -r -d 'At most this many (with --all: per page)'
complete -c vapidash -n '__fish_seen_subcommand_from calls' -l before -r -d 'After this call id, or before this time'
complete -c vapidash -n '__fish_seen_subcommand_from calls' -l all -d 'Every page'
complete -c vapidash -n '__fish_seen_subcommand_from calls' -l watch -d 'Keep the list live until Ctrl-C'

complete -c vapidash -n '__fish_seen_subcommand_from tail' -l client -r -d 'Only this tenant'
complete -c vapidash -n '__fish_seen_subcommand_from tail' -l events -d 'Also every timeline event'
complete -c vapidash -n '__fish_seen_subcommand_from tail' -l type -x -a 'call-upsert status-event' -d 'Message type'
complete -c vapidash -n '__fish_seen_subcommand_from tail' -l count -r -d 'Exit after this many'
complete -c vapidash -n '__fish_seen_subcommand_from tail' -l for -r -d 'Exit after this long: 30s, 2m'

complete -c vapidash -n '__fish_seen_subcommand_from replay scenario' -F
complete -c vapidash -n '__fish_seen_subcommand_from replay' -l embedded -d 'Run against an in-process server'
complete -c vapidash -n '__fish_seen_subcommand_from replay' -l tags -r -d 'Only these tags'
complete -c vapidash -n '__fish_seen_subcommand_from replay' -l skip-tags -r -d 'Leave out these tags'
complete -c vapidash -n '__fish_seen_subcommand_from replay scenario' -l var -r -d 'Set a variable: NAME=VALUE'
complete -c vapidash -n '__fish_seen_subcommand_from replay' -l seed -r -d 'Chaos seed'
complete -c vapidash -n '__fish_seen_subcommand_from replay' -l speed -r -d 'Run waits this many times faster'
complete -c vapidash -n '__fish_seen_subcommand_from replay' -l repeat -r -d 'Runs of each scenario'
complete -c vapidash -n '__fish_seen_subcommand_from replay' -l parallel -r -d 'Runs at once'
complete -c vapidash -n '__fish_seen_subcommand_from replay' -l junit -r -F -d 'Write a JUnit report'
complete -c vapidash -n '__fish_seen_subcommand_from replay' -l secret -r -d 'Send x-vapi-secret'
complete -c vapidash -n '__fish_seen_subcommand_from replay' -l hmac-secret -r -d 'Sign with HMAC-SHA256'
complete -c vapidash -n '__fish_seen_subcommand_from scenario; and not __fish_seen_subcommand_from validate list' -a 'validate list'
