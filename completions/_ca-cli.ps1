
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'ca-cli' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'ca-cli'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'ca-cli' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('flows', 'flows', [CompletionResultType]::ParameterValue, 'List bidirectional flows: who talked to whom, how much, how long, TCP state, countries')
            [CompletionResult]::new('protocols', 'protocols', [CompletionResultType]::ParameterValue, 'Protocol overview: traffic by transport protocol, by service and by country')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Statistics: top sources and destinations, services, countries, flow durations')
            [CompletionResult]::new('geo', 'geo', [CompletionResultType]::ParameterValue, 'Geomap: traffic per country; with --country CC, that country''s addresses and services')
            [CompletionResult]::new('dns', 'dns', [CompletionResultType]::ParameterValue, 'DNS: the names asked about, how often, the answers and response codes, who asked')
            [CompletionResult]::new('timeline', 'timeline', [CompletionResultType]::ParameterValue, 'Timeline: packets, bytes sent and received, flows and addresses per interval of time')
            [CompletionResult]::new('hours', 'hours', [CompletionResultType]::ParameterValue, 'Per hour: a heatmap of days by hour of the day (flows, bytes, sent, received or duration)')
            [CompletionResult]::new('geoip', 'geoip', [CompletionResultType]::ParameterValue, 'GeoIP databases: what they are (info) and what they say about addresses (lookup)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ca-cli;flows' {
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection or for the next bytes before retrying')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of extra trusted root certificates (a corporate proxy''s or a test CA)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Bytes per ranged request of a download (at least 1024)')
            [CompletionResult]::new('--backoff-ms', '--backoff-ms', [CompletionResultType]::ParameterName, 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine''s cores, up to 3]')
            [CompletionResult]::new('--max-flows', '--max-flows', [CompletionResultType]::ParameterName, 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit')
            [CompletionResult]::new('--geoip-db', '--geoip-db', [CompletionResultType]::ParameterName, 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]')
            [CompletionResult]::new('--asn-db', '--asn-db', [CompletionResultType]::ParameterName, 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]')
            [CompletionResult]::new('--proto', '--proto', [CompletionResultType]::ParameterName, 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port''s name (https, tcp/8443, ...)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as ''*.example.com''')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address or CIDR network at either end')
            [CompletionResult]::new('--src', '--src', [CompletionResultType]::ParameterName, 'Address or CIDR network of the source (initiator)')
            [CompletionResult]::new('--dst', '--dst', [CompletionResultType]::ParameterName, 'Address or CIDR network of the destination (responder)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port at either end')
            [CompletionResult]::new('--country', '--country', [CompletionResultType]::ParameterName, 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each')
            [CompletionResult]::new('--src-country', '--src-country', [CompletionResultType]::ParameterName, 'Country of the source')
            [CompletionResult]::new('--dst-country', '--dst-country', [CompletionResultType]::ParameterName, 'Country of the destination')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--min-bytes', '--min-bytes', [CompletionResultType]::ParameterName, 'Flows of at least N bytes (both ways; k, M, G allowed)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'A filter expression (see below)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Order of the flows [default: start]')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order of the flows [default: start]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show only the first N flows (after sorting)')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Show only the first N flows (after sorting)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal''s width; in a pipe or file without $COLUMNS, as wide as their content')
            [CompletionResult]::new('--allow-duplicates', '--allow-duplicates', [CompletionResultType]::ParameterName, 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit with status 1 when a capture is cut short or has malformed packets')
            [CompletionResult]::new('--no-identify', '--no-identify', [CompletionResultType]::ParameterName, 'Do not read payloads: services are guessed from ports, and no server names are found')
            [CompletionResult]::new('--no-asn', '--no-asn', [CompletionResultType]::ParameterName, 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)')
            [CompletionResult]::new('--no-geoip', '--no-geoip', [CompletionResultType]::ParameterName, 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--schema-line', '--schema-line', [CompletionResultType]::ParameterName, 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ca-cli;protocols' {
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection or for the next bytes before retrying')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of extra trusted root certificates (a corporate proxy''s or a test CA)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Bytes per ranged request of a download (at least 1024)')
            [CompletionResult]::new('--backoff-ms', '--backoff-ms', [CompletionResultType]::ParameterName, 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine''s cores, up to 3]')
            [CompletionResult]::new('--max-flows', '--max-flows', [CompletionResultType]::ParameterName, 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit')
            [CompletionResult]::new('--geoip-db', '--geoip-db', [CompletionResultType]::ParameterName, 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]')
            [CompletionResult]::new('--asn-db', '--asn-db', [CompletionResultType]::ParameterName, 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]')
            [CompletionResult]::new('--proto', '--proto', [CompletionResultType]::ParameterName, 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port''s name (https, tcp/8443, ...)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as ''*.example.com''')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address or CIDR network at either end')
            [CompletionResult]::new('--src', '--src', [CompletionResultType]::ParameterName, 'Address or CIDR network of the source (initiator)')
            [CompletionResult]::new('--dst', '--dst', [CompletionResultType]::ParameterName, 'Address or CIDR network of the destination (responder)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port at either end')
            [CompletionResult]::new('--country', '--country', [CompletionResultType]::ParameterName, 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each')
            [CompletionResult]::new('--src-country', '--src-country', [CompletionResultType]::ParameterName, 'Country of the source')
            [CompletionResult]::new('--dst-country', '--dst-country', [CompletionResultType]::ParameterName, 'Country of the destination')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--min-bytes', '--min-bytes', [CompletionResultType]::ParameterName, 'Flows of at least N bytes (both ways; k, M, G allowed)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'A filter expression (see below)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal''s width; in a pipe or file without $COLUMNS, as wide as their content')
            [CompletionResult]::new('--allow-duplicates', '--allow-duplicates', [CompletionResultType]::ParameterName, 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit with status 1 when a capture is cut short or has malformed packets')
            [CompletionResult]::new('--no-identify', '--no-identify', [CompletionResultType]::ParameterName, 'Do not read payloads: services are guessed from ports, and no server names are found')
            [CompletionResult]::new('--no-asn', '--no-asn', [CompletionResultType]::ParameterName, 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)')
            [CompletionResult]::new('--no-geoip', '--no-geoip', [CompletionResultType]::ParameterName, 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--schema-line', '--schema-line', [CompletionResultType]::ParameterName, 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ca-cli;stats' {
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection or for the next bytes before retrying')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of extra trusted root certificates (a corporate proxy''s or a test CA)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Bytes per ranged request of a download (at least 1024)')
            [CompletionResult]::new('--backoff-ms', '--backoff-ms', [CompletionResultType]::ParameterName, 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine''s cores, up to 3]')
            [CompletionResult]::new('--max-flows', '--max-flows', [CompletionResultType]::ParameterName, 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit')
            [CompletionResult]::new('--geoip-db', '--geoip-db', [CompletionResultType]::ParameterName, 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]')
            [CompletionResult]::new('--asn-db', '--asn-db', [CompletionResultType]::ParameterName, 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]')
            [CompletionResult]::new('--proto', '--proto', [CompletionResultType]::ParameterName, 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port''s name (https, tcp/8443, ...)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as ''*.example.com''')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address or CIDR network at either end')
            [CompletionResult]::new('--src', '--src', [CompletionResultType]::ParameterName, 'Address or CIDR network of the source (initiator)')
            [CompletionResult]::new('--dst', '--dst', [CompletionResultType]::ParameterName, 'Address or CIDR network of the destination (responder)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port at either end')
            [CompletionResult]::new('--country', '--country', [CompletionResultType]::ParameterName, 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each')
            [CompletionResult]::new('--src-country', '--src-country', [CompletionResultType]::ParameterName, 'Country of the source')
            [CompletionResult]::new('--dst-country', '--dst-country', [CompletionResultType]::ParameterName, 'Country of the destination')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--min-bytes', '--min-bytes', [CompletionResultType]::ParameterName, 'Flows of at least N bytes (both ways; k, M, G allowed)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'A filter expression (see below)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Entries per top list')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Entries per top list')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal''s width; in a pipe or file without $COLUMNS, as wide as their content')
            [CompletionResult]::new('--allow-duplicates', '--allow-duplicates', [CompletionResultType]::ParameterName, 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit with status 1 when a capture is cut short or has malformed packets')
            [CompletionResult]::new('--no-identify', '--no-identify', [CompletionResultType]::ParameterName, 'Do not read payloads: services are guessed from ports, and no server names are found')
            [CompletionResult]::new('--no-asn', '--no-asn', [CompletionResultType]::ParameterName, 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)')
            [CompletionResult]::new('--no-geoip', '--no-geoip', [CompletionResultType]::ParameterName, 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--schema-line', '--schema-line', [CompletionResultType]::ParameterName, 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ca-cli;geo' {
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection or for the next bytes before retrying')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of extra trusted root certificates (a corporate proxy''s or a test CA)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Bytes per ranged request of a download (at least 1024)')
            [CompletionResult]::new('--backoff-ms', '--backoff-ms', [CompletionResultType]::ParameterName, 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine''s cores, up to 3]')
            [CompletionResult]::new('--max-flows', '--max-flows', [CompletionResultType]::ParameterName, 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit')
            [CompletionResult]::new('--geoip-db', '--geoip-db', [CompletionResultType]::ParameterName, 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]')
            [CompletionResult]::new('--asn-db', '--asn-db', [CompletionResultType]::ParameterName, 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]')
            [CompletionResult]::new('--proto', '--proto', [CompletionResultType]::ParameterName, 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port''s name (https, tcp/8443, ...)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as ''*.example.com''')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address or CIDR network at either end')
            [CompletionResult]::new('--src', '--src', [CompletionResultType]::ParameterName, 'Address or CIDR network of the source (initiator)')
            [CompletionResult]::new('--dst', '--dst', [CompletionResultType]::ParameterName, 'Address or CIDR network of the destination (responder)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port at either end')
            [CompletionResult]::new('--country', '--country', [CompletionResultType]::ParameterName, 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each')
            [CompletionResult]::new('--src-country', '--src-country', [CompletionResultType]::ParameterName, 'Country of the source')
            [CompletionResult]::new('--dst-country', '--dst-country', [CompletionResultType]::ParameterName, 'Country of the destination')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--min-bytes', '--min-bytes', [CompletionResultType]::ParameterName, 'Flows of at least N bytes (both ways; k, M, G allowed)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'A filter expression (see below)')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order of the places [default: bytes]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show only the first N places')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Show only the first N places')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal''s width; in a pipe or file without $COLUMNS, as wide as their content')
            [CompletionResult]::new('--allow-duplicates', '--allow-duplicates', [CompletionResultType]::ParameterName, 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit with status 1 when a capture is cut short or has malformed packets')
            [CompletionResult]::new('--no-identify', '--no-identify', [CompletionResultType]::ParameterName, 'Do not read payloads: services are guessed from ports, and no server names are found')
            [CompletionResult]::new('--no-asn', '--no-asn', [CompletionResultType]::ParameterName, 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)')
            [CompletionResult]::new('--no-geoip', '--no-geoip', [CompletionResultType]::ParameterName, 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--schema-line', '--schema-line', [CompletionResultType]::ParameterName, 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ca-cli;dns' {
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection or for the next bytes before retrying')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of extra trusted root certificates (a corporate proxy''s or a test CA)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Bytes per ranged request of a download (at least 1024)')
            [CompletionResult]::new('--backoff-ms', '--backoff-ms', [CompletionResultType]::ParameterName, 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine''s cores, up to 3]')
            [CompletionResult]::new('--max-flows', '--max-flows', [CompletionResultType]::ParameterName, 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit')
            [CompletionResult]::new('--geoip-db', '--geoip-db', [CompletionResultType]::ParameterName, 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]')
            [CompletionResult]::new('--asn-db', '--asn-db', [CompletionResultType]::ParameterName, 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]')
            [CompletionResult]::new('--proto', '--proto', [CompletionResultType]::ParameterName, 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port''s name (https, tcp/8443, ...)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as ''*.example.com''')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address or CIDR network at either end')
            [CompletionResult]::new('--src', '--src', [CompletionResultType]::ParameterName, 'Address or CIDR network of the source (initiator)')
            [CompletionResult]::new('--dst', '--dst', [CompletionResultType]::ParameterName, 'Address or CIDR network of the destination (responder)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port at either end')
            [CompletionResult]::new('--country', '--country', [CompletionResultType]::ParameterName, 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each')
            [CompletionResult]::new('--src-country', '--src-country', [CompletionResultType]::ParameterName, 'Country of the source')
            [CompletionResult]::new('--dst-country', '--dst-country', [CompletionResultType]::ParameterName, 'Country of the destination')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--min-bytes', '--min-bytes', [CompletionResultType]::ParameterName, 'Flows of at least N bytes (both ways; k, M, G allowed)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'A filter expression (see below)')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order of the names [default: queries]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show only the first N names')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Show only the first N names')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal''s width; in a pipe or file without $COLUMNS, as wide as their content')
            [CompletionResult]::new('--allow-duplicates', '--allow-duplicates', [CompletionResultType]::ParameterName, 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit with status 1 when a capture is cut short or has malformed packets')
            [CompletionResult]::new('--no-identify', '--no-identify', [CompletionResultType]::ParameterName, 'Do not read payloads: services are guessed from ports, and no server names are found')
            [CompletionResult]::new('--no-asn', '--no-asn', [CompletionResultType]::ParameterName, 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)')
            [CompletionResult]::new('--no-geoip', '--no-geoip', [CompletionResultType]::ParameterName, 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--schema-line', '--schema-line', [CompletionResultType]::ParameterName, 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ca-cli;timeline' {
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection or for the next bytes before retrying')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of extra trusted root certificates (a corporate proxy''s or a test CA)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Bytes per ranged request of a download (at least 1024)')
            [CompletionResult]::new('--backoff-ms', '--backoff-ms', [CompletionResultType]::ParameterName, 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine''s cores, up to 3]')
            [CompletionResult]::new('--max-flows', '--max-flows', [CompletionResultType]::ParameterName, 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit')
            [CompletionResult]::new('--geoip-db', '--geoip-db', [CompletionResultType]::ParameterName, 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]')
            [CompletionResult]::new('--asn-db', '--asn-db', [CompletionResultType]::ParameterName, 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]')
            [CompletionResult]::new('--proto', '--proto', [CompletionResultType]::ParameterName, 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port''s name (https, tcp/8443, ...)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as ''*.example.com''')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address or CIDR network at either end')
            [CompletionResult]::new('--src', '--src', [CompletionResultType]::ParameterName, 'Address or CIDR network of the source (initiator)')
            [CompletionResult]::new('--dst', '--dst', [CompletionResultType]::ParameterName, 'Address or CIDR network of the destination (responder)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port at either end')
            [CompletionResult]::new('--country', '--country', [CompletionResultType]::ParameterName, 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each')
            [CompletionResult]::new('--src-country', '--src-country', [CompletionResultType]::ParameterName, 'Country of the source')
            [CompletionResult]::new('--dst-country', '--dst-country', [CompletionResultType]::ParameterName, 'Country of the destination')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--min-bytes', '--min-bytes', [CompletionResultType]::ParameterName, 'Flows of at least N bytes (both ways; k, M, G allowed)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'A filter expression (see below)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Length of a bucket: N with ms, s, m, h or d (250ms, 10s, 5m, 1h, 1d) [default: about 60 buckets over the selected traffic, of 1, 2, 5, 10, 20, 50, 100, 200, 500 ms, 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h or 1 d]')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Length of a bucket: N with ms, s, m, h or d (250ms, 10s, 5m, 1h, 1d) [default: about 60 buckets over the selected traffic, of 1, 2, 5, 10, 20, 50, 100, 200, 500 ms, 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h or 1 d]')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'One series per key: the top --top keys by bytes, the rest summed as `other`')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Series with --by')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Series with --by')
            [CompletionResult]::new('--align', '--align', [CompletionResultType]::ParameterName, 'Where buckets start: on the clock of --tz (a 5-minute bucket at :00, :05, ...; a day at midnight), or at the capture''s first packet, as tshark''s -z io,stat')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal''s width; in a pipe or file without $COLUMNS, as wide as their content')
            [CompletionResult]::new('--allow-duplicates', '--allow-duplicates', [CompletionResultType]::ParameterName, 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit with status 1 when a capture is cut short or has malformed packets')
            [CompletionResult]::new('--no-identify', '--no-identify', [CompletionResultType]::ParameterName, 'Do not read payloads: services are guessed from ports, and no server names are found')
            [CompletionResult]::new('--no-asn', '--no-asn', [CompletionResultType]::ParameterName, 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)')
            [CompletionResult]::new('--no-geoip', '--no-geoip', [CompletionResultType]::ParameterName, 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--schema-line', '--schema-line', [CompletionResultType]::ParameterName, 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ca-cli;hours' {
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Parallel ranged requests for a blob over 8 MiB when one connection brings less than 200 MB/s; 1 always streams a single response')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection or for the next bytes before retrying')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Attempts after a dropped connection, timeout or server error before giving up (each resumes from the last byte received)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of extra trusted root certificates (a corporate proxy''s or a test CA)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Bytes per ranged request of a download (at least 1024)')
            [CompletionResult]::new('--backoff-ms', '--backoff-ms', [CompletionResultType]::ParameterName, 'First wait before retrying a download, in milliseconds; it doubles on each retry, up to 5 s')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0 never splits [default: TCP 5m, UDP and ICMP 1m]')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes and downloads) on a second thread while the first counts flows and identifies payloads; 3 identifies payloads on a third. Results are identical [default: the machine''s cores, up to 3]')
            [CompletionResult]::new('--max-flows', '--max-flows', [CompletionResultType]::ParameterName, 'Most flows held in memory at once; past it the flows idle the longest end early, with a warning. The default keeps a hostile capture (millions of live flows) near 1 GB of memory. 0: no limit')
            [CompletionResult]::new('--geoip-db', '--geoip-db', [CompletionResultType]::ParameterName, 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]')
            [CompletionResult]::new('--asn-db', '--asn-db', [CompletionResultType]::ParameterName, 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]')
            [CompletionResult]::new('--proto', '--proto', [CompletionResultType]::ParameterName, 'IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the port''s name (https, tcp/8443, ...)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as ''*.example.com''')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address or CIDR network at either end')
            [CompletionResult]::new('--src', '--src', [CompletionResultType]::ParameterName, 'Address or CIDR network of the source (initiator)')
            [CompletionResult]::new('--dst', '--dst', [CompletionResultType]::ParameterName, 'Address or CIDR network of the destination (responder)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port at either end')
            [CompletionResult]::new('--country', '--country', [CompletionResultType]::ParameterName, 'Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end; `geo --country CC,...` also details each')
            [CompletionResult]::new('--src-country', '--src-country', [CompletionResultType]::ParameterName, 'Country of the source')
            [CompletionResult]::new('--dst-country', '--dst-country', [CompletionResultType]::ParameterName, 'Country of the destination')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Flows active at or after TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Flows active at or before TIME: RFC 3339, or +DURATION after the capture''s start')
            [CompletionResult]::new('--min-bytes', '--min-bytes', [CompletionResultType]::ParameterName, 'Flows of at least N bytes (both ways; k, M, G allowed)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'A filter expression (see below)')
            [CompletionResult]::new('--metric', '--metric', [CompletionResultType]::ParameterName, 'What the text heatmap shades (JSON, NDJSON and CSV carry every metric)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal''s width; in a pipe or file without $COLUMNS, as wide as their content')
            [CompletionResult]::new('--allow-duplicates', '--allow-duplicates', [CompletionResultType]::ParameterName, 'Read a file named more than once (or through a link) each time; by default it is read once, with a warning')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit with status 1 when a capture is cut short or has malformed packets')
            [CompletionResult]::new('--no-identify', '--no-identify', [CompletionResultType]::ParameterName, 'Do not read payloads: services are guessed from ports, and no server names are found')
            [CompletionResult]::new('--no-asn', '--no-asn', [CompletionResultType]::ParameterName, 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)')
            [CompletionResult]::new('--no-geoip', '--no-geoip', [CompletionResultType]::ParameterName, 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--schema-line', '--schema-line', [CompletionResultType]::ParameterName, 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ca-cli;geoip' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show the GeoIP databases in use: source, type, build date, licence')
            [CompletionResult]::new('lookup', 'lookup', [CompletionResultType]::ParameterValue, 'Look addresses up: country, special-range label, city and AS where the databases have them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ca-cli;geoip;info' {
            [CompletionResult]::new('--geoip-db', '--geoip-db', [CompletionResultType]::ParameterName, 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]')
            [CompletionResult]::new('--asn-db', '--asn-db', [CompletionResultType]::ParameterName, 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal''s width; in a pipe or file without $COLUMNS, as wide as their content')
            [CompletionResult]::new('--no-asn', '--no-asn', [CompletionResultType]::ParameterName, 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)')
            [CompletionResult]::new('--no-geoip', '--no-geoip', [CompletionResultType]::ParameterName, 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--schema-line', '--schema-line', [CompletionResultType]::ParameterName, 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ca-cli;geoip;lookup' {
            [CompletionResult]::new('--geoip-db', '--geoip-db', [CompletionResultType]::ParameterName, 'Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb [default: the bundled ip-location-db country database]')
            [CompletionResult]::new('--asn-db', '--asn-db', [CompletionResultType]::ParameterName, 'ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations [default: the bundled ip-location-db IP-to-AS table]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of standard output')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00); timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV keep UTC unless --tz is given')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the terminal''s width; in a pipe or file without $COLUMNS, as wide as their content')
            [CompletionResult]::new('--no-asn', '--no-asn', [CompletionResultType]::ParameterName, 'No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)')
            [CompletionResult]::new('--no-geoip', '--no-geoip', [CompletionResultType]::ParameterName, 'No GeoIP lookups, neither countries nor AS, whatever database is named (special-range labels still apply)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no summary and no warnings on standard error (errors still)')
            [CompletionResult]::new('--schema-line', '--schema-line', [CompletionResultType]::ParameterName, 'NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or #schema_version=N); JSON documents always carry it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ca-cli;geoip;help' {
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show the GeoIP databases in use: source, type, build date, licence')
            [CompletionResult]::new('lookup', 'lookup', [CompletionResultType]::ParameterValue, 'Look addresses up: country, special-range label, city and AS where the databases have them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ca-cli;geoip;help;info' {
            break
        }
        'ca-cli;geoip;help;lookup' {
            break
        }
        'ca-cli;geoip;help;help' {
            break
        }
        'ca-cli;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ca-cli;help' {
            [CompletionResult]::new('flows', 'flows', [CompletionResultType]::ParameterValue, 'List bidirectional flows: who talked to whom, how much, how long, TCP state, countries')
            [CompletionResult]::new('protocols', 'protocols', [CompletionResultType]::ParameterValue, 'Protocol overview: traffic by transport protocol, by service and by country')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Statistics: top sources and destinations, services, countries, flow durations')
            [CompletionResult]::new('geo', 'geo', [CompletionResultType]::ParameterValue, 'Geomap: traffic per country; with --country CC, that country''s addresses and services')
            [CompletionResult]::new('dns', 'dns', [CompletionResultType]::ParameterValue, 'DNS: the names asked about, how often, the answers and response codes, who asked')
            [CompletionResult]::new('timeline', 'timeline', [CompletionResultType]::ParameterValue, 'Timeline: packets, bytes sent and received, flows and addresses per interval of time')
            [CompletionResult]::new('hours', 'hours', [CompletionResultType]::ParameterValue, 'Per hour: a heatmap of days by hour of the day (flows, bytes, sent, received or duration)')
            [CompletionResult]::new('geoip', 'geoip', [CompletionResultType]::ParameterValue, 'GeoIP databases: what they are (info) and what they say about addresses (lookup)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ca-cli;help;flows' {
            break
        }
        'ca-cli;help;protocols' {
            break
        }
        'ca-cli;help;stats' {
            break
        }
        'ca-cli;help;geo' {
            break
        }
        'ca-cli;help;dns' {
            break
        }
        'ca-cli;help;timeline' {
            break
        }
        'ca-cli;help;hours' {
            break
        }
        'ca-cli;help;geoip' {
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show the GeoIP databases in use: source, type, build date, licence')
            [CompletionResult]::new('lookup', 'lookup', [CompletionResultType]::ParameterValue, 'Look addresses up: country, special-range label, city and AS where the databases have them')
            break
        }
        'ca-cli;help;geoip;info' {
            break
        }
        'ca-cli;help;geoip;lookup' {
            break
        }
        'ca-cli;help;completions' {
            break
        }
        'ca-cli;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
