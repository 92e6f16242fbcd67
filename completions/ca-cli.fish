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
complete -c ca-cli -n "__fish_ca_cli_needs_command" -f -a "flows" -d 'List bidirectional flows: who talked to whom, how much, how long, TCP state, countries'
complete -c ca-cli -n "__fish_ca_cli_needs_command" -f -a "protocols" -d 'Protocol overview: traffic by transport protocol, by service and by country'
complete -c ca-cli -n "__fish_ca_cli_needs_command" -f -a "stats" -d 'Statistics: top sources and destinations, services, countries, flow durations'
complete -c ca-cli -n "__fish_ca_cli_needs_command" -f -a "geo" -d 'Geomap: traffic per country; with --country CC, that country\'s addresses and services'
complete -c ca-cli -n "__fish_ca_cli_needs_command" -f -a "dns" -d 'DNS: the names asked about, how often, the answers and response codes, who asked'
complete -c ca-cli -n "__fish_ca_cli_needs_command" -f -a "timeline" -d 'Timeline: packets, bytes sent and received, flows and addresses per interval of time'
complete -c ca-cli -n "__fish_ca_cli_needs_command" -f -a "hours" -d 'Per hour: a heatmap of days by hour of the day (flows, bytes, sent, received or duration)'
complete -c ca-cli -n "__fish_ca_cli_needs_command" -f -a "geoip" -d 'GeoIP databases: what they are (info) and what they say about addresses (lookup)'
complete -c ca-cli -n "__fish_ca_cli_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c ca-cli -n "__fish_ca_cli_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l connections -d 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l timeout -d 'Seconds to wait for a connection or for the next bytes before retrying' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l retries -d 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l ca-cert -d 'PEM file of extra trusted root certificates (a corporate proxy\'s or a test CA)' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l chunk-size -d 'Bytes per ranged request of a download (at least 1024)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l backoff-ms -d 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l idle-timeout -d 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l threads -d 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine\'s cores, up to 3]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l max-flows -d 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l geoip-db -d 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l asn-db -d 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l proto -d 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l service -d 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port\'s name (https, tcp/8443, ...)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l name -d 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as \'*.example.com\'' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l host -d 'Address or CIDR network at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l src -d 'Address or CIDR network of the source (initiator)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l dst -d 'Address or CIDR network of the destination (responder)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l port -d 'Port at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l country -d 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l src-country -d 'Country of the source' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l dst-country -d 'Country of the destination' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l since -d 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l until -d 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l min-bytes -d 'Flows of at least N bytes (both ways; k, M, G allowed)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l filter -d 'A filter expression (see below)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s s -l sort -d 'Order of the flows [default: start]' -r -f -a "start\t'Start time, earliest first'
bytes\t'Bytes both ways, largest first'
packets\t'Packets both ways, most first'
duration\t'Duration, longest first'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s n -l top -d 'Show only the first N flows (after sorting)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s f -l format -d 'Output format' -r -f -a "text\t'Tables for people (summary on stderr)'
json\t'One JSON document'
ndjson\t'One JSON object per line'
csv\t'Comma-separated values with a header row'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s o -l output -d 'Write the output to FILE instead of standard output' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l tz -d 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l width -d 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal\'s width; in a pipe or file without $COLUMNS, as wide as their content' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l allow-duplicates -d 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l strict -d 'Exit with status 1 when a capture is cut short or has malformed packets'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l no-identify -d 'Do not read payloads: services are guessed from ports, and no server names are found'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l no-asn -d 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l no-geoip -d 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l json -d 'Shorthand for --format json'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s q -l quiet -d 'Print no summary and no warnings on standard error (errors still)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -l schema-line -d 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand flows" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l connections -d 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l timeout -d 'Seconds to wait for a connection or for the next bytes before retrying' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l retries -d 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l ca-cert -d 'PEM file of extra trusted root certificates (a corporate proxy\'s or a test CA)' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l chunk-size -d 'Bytes per ranged request of a download (at least 1024)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l backoff-ms -d 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l idle-timeout -d 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l threads -d 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine\'s cores, up to 3]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l max-flows -d 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l geoip-db -d 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l asn-db -d 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l proto -d 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l service -d 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port\'s name (https, tcp/8443, ...)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l name -d 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as \'*.example.com\'' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l host -d 'Address or CIDR network at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l src -d 'Address or CIDR network of the source (initiator)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l dst -d 'Address or CIDR network of the destination (responder)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l port -d 'Port at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l country -d 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l src-country -d 'Country of the source' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l dst-country -d 'Country of the destination' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l since -d 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l until -d 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l min-bytes -d 'Flows of at least N bytes (both ways; k, M, G allowed)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l filter -d 'A filter expression (see below)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -s f -l format -d 'Output format' -r -f -a "text\t'Tables for people (summary on stderr)'
json\t'One JSON document'
ndjson\t'One JSON object per line'
csv\t'Comma-separated values with a header row'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -s o -l output -d 'Write the output to FILE instead of standard output' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l tz -d 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l width -d 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal\'s width; in a pipe or file without $COLUMNS, as wide as their content' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l allow-duplicates -d 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l strict -d 'Exit with status 1 when a capture is cut short or has malformed packets'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l no-identify -d 'Do not read payloads: services are guessed from ports, and no server names are found'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l no-asn -d 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l no-geoip -d 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l json -d 'Shorthand for --format json'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -s q -l quiet -d 'Print no summary and no warnings on standard error (errors still)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -l schema-line -d 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand protocols" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l connections -d 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l timeout -d 'Seconds to wait for a connection or for the next bytes before retrying' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l retries -d 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l ca-cert -d 'PEM file of extra trusted root certificates (a corporate proxy\'s or a test CA)' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l chunk-size -d 'Bytes per ranged request of a download (at least 1024)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l backoff-ms -d 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l idle-timeout -d 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l threads -d 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine\'s cores, up to 3]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l max-flows -d 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l geoip-db -d 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l asn-db -d 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l proto -d 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l service -d 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port\'s name (https, tcp/8443, ...)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l name -d 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as \'*.example.com\'' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l host -d 'Address or CIDR network at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l src -d 'Address or CIDR network of the source (initiator)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l dst -d 'Address or CIDR network of the destination (responder)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l port -d 'Port at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l country -d 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l src-country -d 'Country of the source' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l dst-country -d 'Country of the destination' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l since -d 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l until -d 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l min-bytes -d 'Flows of at least N bytes (both ways; k, M, G allowed)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l filter -d 'A filter expression (see below)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -s n -l top -d 'Entries per top list' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -s f -l format -d 'Output format' -r -f -a "text\t'Tables for people (summary on stderr)'
json\t'One JSON document'
ndjson\t'One JSON object per line'
csv\t'Comma-separated values with a header row'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -s o -l output -d 'Write the output to FILE instead of standard output' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l tz -d 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l width -d 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal\'s width; in a pipe or file without $COLUMNS, as wide as their content' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l allow-duplicates -d 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l strict -d 'Exit with status 1 when a capture is cut short or has malformed packets'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l no-identify -d 'Do not read payloads: services are guessed from ports, and no server names are found'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l no-asn -d 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l no-geoip -d 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l json -d 'Shorthand for --format json'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -s q -l quiet -d 'Print no summary and no warnings on standard error (errors still)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -l schema-line -d 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand stats" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l connections -d 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l timeout -d 'Seconds to wait for a connection or for the next bytes before retrying' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l retries -d 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l ca-cert -d 'PEM file of extra trusted root certificates (a corporate proxy\'s or a test CA)' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l chunk-size -d 'Bytes per ranged request of a download (at least 1024)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l backoff-ms -d 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l idle-timeout -d 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l threads -d 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine\'s cores, up to 3]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l max-flows -d 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l geoip-db -d 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l asn-db -d 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l proto -d 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l service -d 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port\'s name (https, tcp/8443, ...)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l name -d 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as \'*.example.com\'' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l host -d 'Address or CIDR network at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l src -d 'Address or CIDR network of the source (initiator)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l dst -d 'Address or CIDR network of the destination (responder)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l port -d 'Port at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l country -d 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l src-country -d 'Country of the source' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l dst-country -d 'Country of the destination' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l since -d 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l until -d 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l min-bytes -d 'Flows of at least N bytes (both ways; k, M, G allowed)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l filter -d 'A filter expression (see below)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l sort -d 'Order of the places [default: bytes]' -r -f -a "bytes\t'Bytes both ways, most first'
flows\t'Flows, most first'
addresses\t'Distinct addresses, most first'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -s n -l top -d 'Show only the first N places' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -s f -l format -d 'Output format' -r -f -a "text\t'Tables for people (summary on stderr)'
json\t'One JSON document'
ndjson\t'One JSON object per line'
csv\t'Comma-separated values with a header row'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -s o -l output -d 'Write the output to FILE instead of standard output' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l tz -d 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l width -d 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal\'s width; in a pipe or file without $COLUMNS, as wide as their content' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l allow-duplicates -d 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l strict -d 'Exit with status 1 when a capture is cut short or has malformed packets'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l no-identify -d 'Do not read payloads: services are guessed from ports, and no server names are found'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l no-asn -d 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l no-geoip -d 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l json -d 'Shorthand for --format json'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -s q -l quiet -d 'Print no summary and no warnings on standard error (errors still)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -l schema-line -d 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geo" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l connections -d 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l timeout -d 'Seconds to wait for a connection or for the next bytes before retrying' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l retries -d 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l ca-cert -d 'PEM file of extra trusted root certificates (a corporate proxy\'s or a test CA)' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l chunk-size -d 'Bytes per ranged request of a download (at least 1024)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l backoff-ms -d 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l idle-timeout -d 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l threads -d 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine\'s cores, up to 3]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l max-flows -d 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l geoip-db -d 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l asn-db -d 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l proto -d 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l service -d 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port\'s name (https, tcp/8443, ...)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l name -d 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as \'*.example.com\'' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l host -d 'Address or CIDR network at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l src -d 'Address or CIDR network of the source (initiator)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l dst -d 'Address or CIDR network of the destination (responder)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l port -d 'Port at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l country -d 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l src-country -d 'Country of the source' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l dst-country -d 'Country of the destination' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l since -d 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l until -d 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l min-bytes -d 'Flows of at least N bytes (both ways; k, M, G allowed)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l filter -d 'A filter expression (see below)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l sort -d 'Order of the names [default: queries]' -r -f -a "queries\t'Queries, most first'
clients\t'Distinct clients, most first'
name\t'Name, alphabetically'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -s n -l top -d 'Show only the first N names' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -s f -l format -d 'Output format' -r -f -a "text\t'Tables for people (summary on stderr)'
json\t'One JSON document'
ndjson\t'One JSON object per line'
csv\t'Comma-separated values with a header row'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -s o -l output -d 'Write the output to FILE instead of standard output' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l tz -d 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l width -d 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal\'s width; in a pipe or file without $COLUMNS, as wide as their content' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l allow-duplicates -d 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l strict -d 'Exit with status 1 when a capture is cut short or has malformed packets'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l no-identify -d 'Do not read payloads: services are guessed from ports, and no server names are found'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l no-asn -d 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l no-geoip -d 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l json -d 'Shorthand for --format json'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -s q -l quiet -d 'Print no summary and no warnings on standard error (errors still)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -l schema-line -d 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand dns" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l connections -d 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l timeout -d 'Seconds to wait for a connection or for the next bytes before retrying' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l retries -d 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l ca-cert -d 'PEM file of extra trusted root certificates (a corporate proxy\'s or a test CA)' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l chunk-size -d 'Bytes per ranged request of a download (at least 1024)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l backoff-ms -d 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l idle-timeout -d 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l threads -d 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine\'s cores, up to 3]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l max-flows -d 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l geoip-db -d 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l asn-db -d 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l proto -d 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l service -d 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port\'s name (https, tcp/8443, ...)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l name -d 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as \'*.example.com\'' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l host -d 'Address or CIDR network at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l src -d 'Address or CIDR network of the source (initiator)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l dst -d 'Address or CIDR network of the destination (responder)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l port -d 'Port at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l country -d 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l src-country -d 'Country of the source' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l dst-country -d 'Country of the destination' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l since -d 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l until -d 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l min-bytes -d 'Flows of at least N bytes (both ways; k, M, G allowed)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l filter -d 'A filter expression (see below)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -s i -l interval -d 'Length of a bucket: N with ms, s, m, h or d (250ms, 10s, 5m, 1h, 1d) [default: about 60 buckets over the selected traffic, of 1, 2, 5, 10, 20, 50, 100, 200, 500 ms, 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h or 1 d]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l by -d 'One series per key: the top --top keys by bytes, the rest summed as `other`' -r -f -a "proto\t'IP protocol: tcp, udp, icmp, ...'
service\t'Service, as the protocols view names it'
country\t'The country of each flow\'s remote end, as the protocols view counts it'
src\t'Source (initiator) address'
dst\t'Destination (responder) address'
name\t'Server name (TLS/QUIC SNI, HTTP Host, DNS)'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -s n -l top -d 'Series with --by' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l align -d 'Where buckets start: on the clock of --tz (a 5-minute bucket at :00, :05, ...; a day at midnight), or at the capture\'s first packet, as tshark\'s -z io,stat' -r -f -a "clock\t'On the clock of the time zone'
capture\t'At the capture\'s first packet'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -s f -l format -d 'Output format' -r -f -a "text\t'Tables for people (summary on stderr)'
json\t'One JSON document'
ndjson\t'One JSON object per line'
csv\t'Comma-separated values with a header row'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -s o -l output -d 'Write the output to FILE instead of standard output' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l tz -d 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l width -d 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal\'s width; in a pipe or file without $COLUMNS, as wide as their content' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l allow-duplicates -d 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l strict -d 'Exit with status 1 when a capture is cut short or has malformed packets'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l no-identify -d 'Do not read payloads: services are guessed from ports, and no server names are found'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l no-asn -d 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l no-geoip -d 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l json -d 'Shorthand for --format json'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -s q -l quiet -d 'Print no summary and no warnings on standard error (errors still)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -l schema-line -d 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand timeline" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l connections -d 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l timeout -d 'Seconds to wait for a connection or for the next bytes before retrying' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l retries -d 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l ca-cert -d 'PEM file of extra trusted root certificates (a corporate proxy\'s or a test CA)' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l chunk-size -d 'Bytes per ranged request of a download (at least 1024)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l backoff-ms -d 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l idle-timeout -d 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l threads -d 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine\'s cores, up to 3]' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l max-flows -d 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l geoip-db -d 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l asn-db -d 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l proto -d 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l service -d 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port\'s name (https, tcp/8443, ...)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l name -d 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as \'*.example.com\'' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l host -d 'Address or CIDR network at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l src -d 'Address or CIDR network of the source (initiator)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l dst -d 'Address or CIDR network of the destination (responder)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l port -d 'Port at either end' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l country -d 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l src-country -d 'Country of the source' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l dst-country -d 'Country of the destination' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l since -d 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l until -d 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture\'s start' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l min-bytes -d 'Flows of at least N bytes (both ways; k, M, G allowed)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l filter -d 'A filter expression (see below)' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l metric -d 'What the text heatmap shades (JSON, NDJSON and CSV carry every metric)' -r -f -a "flows\t'Flows started in the hour'
bytes\t'Bytes both ways'
sent\t'Bytes sent by initiators'
received\t'Bytes sent by responders'
duration\t'Mean duration of the flows started in the hour'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -s f -l format -d 'Output format' -r -f -a "text\t'Tables for people (summary on stderr)'
json\t'One JSON document'
ndjson\t'One JSON object per line'
csv\t'Comma-separated values with a header row'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -s o -l output -d 'Write the output to FILE instead of standard output' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l tz -d 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l width -d 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal\'s width; in a pipe or file without $COLUMNS, as wide as their content' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l allow-duplicates -d 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l strict -d 'Exit with status 1 when a capture is cut short or has malformed packets'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l no-identify -d 'Do not read payloads: services are guessed from ports, and no server names are found'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l no-asn -d 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l no-geoip -d 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l json -d 'Shorthand for --format json'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -s q -l quiet -d 'Print no summary and no warnings on standard error (errors still)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -l schema-line -d 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand hours" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and not __fish_seen_subcommand_from info lookup help" -s h -l help -d 'Print help'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and not __fish_seen_subcommand_from info lookup help" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and not __fish_seen_subcommand_from info lookup help" -f -a "info" -d 'Show the GeoIP databases in use: source, type, build date, licence'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and not __fish_seen_subcommand_from info lookup help" -f -a "lookup" -d 'Look addresses up: country, special-range label, city and AS where the databases have them'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and not __fish_seen_subcommand_from info lookup help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from info" -l geoip-db -d 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from info" -l asn-db -d 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from info" -s f -l format -d 'Output format' -r -f -a "text\t'Tables for people (summary on stderr)'
json\t'One JSON document'
ndjson\t'One JSON object per line'
csv\t'Comma-separated values with a header row'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from info" -s o -l output -d 'Write the output to FILE instead of standard output' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from info" -l tz -d 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from info" -l width -d 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal\'s width; in a pipe or file without $COLUMNS, as wide as their content' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from info" -l no-asn -d 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from info" -l no-geoip -d 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from info" -l json -d 'Shorthand for --format json'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from info" -s q -l quiet -d 'Print no summary and no warnings on standard error (errors still)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from info" -l schema-line -d 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from info" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from lookup" -l geoip-db -d 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from lookup" -l asn-db -d 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from lookup" -s f -l format -d 'Output format' -r -f -a "text\t'Tables for people (summary on stderr)'
json\t'One JSON document'
ndjson\t'One JSON object per line'
csv\t'Comma-separated values with a header row'"
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from lookup" -s o -l output -d 'Write the output to FILE instead of standard output' -r -F
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from lookup" -l tz -d 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from lookup" -l width -d 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal\'s width; in a pipe or file without $COLUMNS, as wide as their content' -r
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from lookup" -l no-asn -d 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from lookup" -l no-geoip -d 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from lookup" -l json -d 'Shorthand for --format json'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from lookup" -s q -l quiet -d 'Print no summary and no warnings on standard error (errors still)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from lookup" -l schema-line -d 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from lookup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from lookup" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from help" -f -a "info" -d 'Show the GeoIP databases in use: source, type, build date, licence'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from help" -f -a "lookup" -d 'Look addresses up: country, special-range label, city and AS where the databases have them'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand geoip; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand completions" -s h -l help -d 'Print help'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand completions" -s V -l version -d 'Print version'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and not __fish_seen_subcommand_from flows protocols stats geo dns timeline hours geoip completions help" -f -a "flows" -d 'List bidirectional flows: who talked to whom, how much, how long, TCP state, countries'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and not __fish_seen_subcommand_from flows protocols stats geo dns timeline hours geoip completions help" -f -a "protocols" -d 'Protocol overview: traffic by transport protocol, by service and by country'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and not __fish_seen_subcommand_from flows protocols stats geo dns timeline hours geoip completions help" -f -a "stats" -d 'Statistics: top sources and destinations, services, countries, flow durations'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and not __fish_seen_subcommand_from flows protocols stats geo dns timeline hours geoip completions help" -f -a "geo" -d 'Geomap: traffic per country; with --country CC, that country\'s addresses and services'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and not __fish_seen_subcommand_from flows protocols stats geo dns timeline hours geoip completions help" -f -a "dns" -d 'DNS: the names asked about, how often, the answers and response codes, who asked'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and not __fish_seen_subcommand_from flows protocols stats geo dns timeline hours geoip completions help" -f -a "timeline" -d 'Timeline: packets, bytes sent and received, flows and addresses per interval of time'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and not __fish_seen_subcommand_from flows protocols stats geo dns timeline hours geoip completions help" -f -a "hours" -d 'Per hour: a heatmap of days by hour of the day (flows, bytes, sent, received or duration)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and not __fish_seen_subcommand_from flows protocols stats geo dns timeline hours geoip completions help" -f -a "geoip" -d 'GeoIP databases: what they are (info) and what they say about addresses (lookup)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and not __fish_seen_subcommand_from flows protocols stats geo dns timeline hours geoip completions help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and not __fish_seen_subcommand_from flows protocols stats geo dns timeline hours geoip completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and __fish_seen_subcommand_from geoip" -f -a "info" -d 'Show the GeoIP databases in use: source, type, build date, licence'
complete -c ca-cli -n "__fish_ca_cli_using_subcommand help; and __fish_seen_subcommand_from geoip" -f -a "lookup" -d 'Look addresses up: country, special-range label, city and AS where the databases have them'
