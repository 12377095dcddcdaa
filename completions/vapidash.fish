# fish completion for vapidash. Installed by `cmake --install` into share/fish/vendor_completions.d.

set -l commands serve call event webhook calls show timeline tail listen replay load scenario db
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
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a listen -d "Record a live call's audio as WAV or raw PCM"
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a replay -d 'Run scripted VAPI scenarios and check the results'
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a load -d 'Open-model load from a scenario file'
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a scenario -d 'Validate or list scenario files'
complete -c vapidash -n "not __fish_seen_subcommand_from $commands" -a db -d 'Database sizes, backups, retention, vacuum'

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
complete -c vapidash -n '__fish_seen_subcommand_from serve' -l payloads -x -a 'compact full none' -d 'What a timeline entry keeps of a webhook'
complete -c vapidash -n '__fish_seen_subcommand_from serve' -l retain -r -d 'Delete calls that ended longer ago than this'
complete -c vapidash -n '__fish_seen_subcommand_from serve' -l max-listeners-per-call -r -d 'Live-audio listeners of one call'
complete -c vapidash -n '__fish_seen_subcommand_from serve' -l max-listeners -r -d 'Live-audio listeners of the server'
complete -c vapidash -n '__fish_seen_subcommand_from serve' -l upstream-cacert -r -F -d 'CA certificates (PEM) to trust for wss listen URLs'
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

complete -c vapidash -n '__fish_seen_subcommand_from listen' -l out -r -F -d 'WAV file to write'
complete -c vapidash -n '__fish_seen_subcommand_from listen' -l channels -x -a 'both customer assistant' -d 'Channels to keep'
complete -c vapidash -n '__fish_seen_subcommand_from listen' -l for -r -d 'Stop after this much audio: 30s, 2m'
complete -c vapidash -n '__fish_seen_subcommand_from listen' -l raw -d 'Raw PCM to stdout'

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
complete -c vapidash -n '__fish_seen_subcommand_from load' -F
complete -c vapidash -n '__fish_seen_subcommand_from load' -l embedded -d 'Load an in-process server'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l rate -r -d 'Virtual calls started per second'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l ramp-to -r -d 'Ramp the rate to this'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l ramp-for -r -d 'How long the ramp takes'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l calls -r -d 'Start this many calls'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l for -r -d 'Start calls for this long'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l dashboards -r -d 'Dashboard feeds to measure'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l stalled-dashboards -r -d 'Dashboards that never read'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l all-tenants -d 'Dashboards on the all-tenants feed'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l connections -r -d 'Keep-alive connections'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l max-in-flight -r -d 'Calls running at once'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l threads -r -d 'Generator threads'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l threshold -r -d 'Pass/fail criterion: http.p99<20ms'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l out -r -F -d 'Write a JSON line per request and delivery'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l seed -r -d 'Chaos seed'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l var -r -d 'Set a variable: NAME=VALUE'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l secret -r -d 'Send x-vapi-secret'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l hmac-secret -r -d 'Sign with HMAC-SHA256'
complete -c vapidash -n '__fish_seen_subcommand_from load' -l drain -r -d 'How long dashboards may catch up'
complete -c vapidash -n '__fish_seen_subcommand_from scenario; and not __fish_seen_subcommand_from validate list' -a 'validate list'

complete -c vapidash -n '__fish_seen_subcommand_from db; and not __fish_seen_subcommand_from stats backup prune vacuum' -a 'stats backup prune vacuum'
complete -c vapidash -n '__fish_seen_subcommand_from backup' -F
complete -c vapidash -n '__fish_seen_subcommand_from db' -l db -r -F -d 'SQLite file'
complete -c vapidash -n '__fish_seen_subcommand_from db' -l older-than -r -d 'Calls that ended longer ago than this'
complete -c vapidash -n '__fish_seen_subcommand_from db' -l client -r -d 'Only this tenant'
complete -c vapidash -n '__fish_seen_subcommand_from db' -l dry-run -d 'Count, change nothing'
