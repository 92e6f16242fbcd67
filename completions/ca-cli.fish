# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ca_cli_global_optspecs
    string join \n h/help V/version
end

function __fish_ca_cli_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ca_cli_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ca_cli_using_subcommand
    set -l cmd (__fish_ca_cli_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ca-cli -n "__fish_ca_cli_needs_command" -s h -l help -d 'Print help'
complete -c ca-cli -n "__fish_ca_cli_needs_command" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_needs_command" -f -a "flows" -d 'List bidirectional flows: who talked to whom, how much, how long, TCP state'
complete -c ca-cli -n "__fish_ca_cli_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c ca-cli -n "__fish_ca_cli_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s s -l sort -d 'Order of the flows' -r -f -a "start\t'Start time, earliest first'
bytes\t'Bytes both ways, largest first'
packets\t'Packets both ways, most first'
duration\t'Duration, longest first'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s n -l top -d 'Show only the first N flows (after sorting)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l idle-timeout -d 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s f -l format -d 'Output format' -r -f -a "text\t'A table for people (summary on stderr)'
json\t'One JSON document'
ndjson\t'One JSON object per line'
csv\t'Comma-separated values with a header row'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s o -l output -d 'Write the output to FILE instead of standard output' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l strict -d 'Exit with status 1 when a capture is cut short or has malformed packets'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l json -d 'Shorthand for --format json'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s q -l quiet -d 'Print no summary and no warnings on standard error (errors still)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand completions" -s h -l help -d 'Print help'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand completions" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and not __fish_seen_subcommand_from flows completions help" -f -a "flows" -d 'List bidirectional flows: who talked to whom, how much, how long, TCP state'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and not __fish_seen_subcommand_from flows completions help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and not __fish_seen_subcommand_from flows completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
