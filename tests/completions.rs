//! The shell completions in `completions/` are what `ca-cli completions <shell>` prints.
//! After changing the command line, regenerate them with
//! `UPDATE_COMPLETIONS=1 cargo test --test integration completions`.

use crate::common;

use std::path::Path;

const SHELLS: &[(&str, &str)] = &[
    ("bash", "ca-cli.bash"),
    ("zsh", "_ca-cli"),
    ("fish", "ca-cli.fish"),
    ("powershell", "_ca-cli.ps1"),
];

#[test]
fn completion_scripts_are_in_sync() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("UPDATE_COMPLETIONS").is_some();
    for (shell, file) in SHELLS {
        let output = common::ca_cli()
            .args(["completions", shell])
            .output()
            .expect("ca-cli runs");
        assert!(output.status.success(), "completions {shell} failed");
        assert!(
            !output.stdout.is_empty(),
            "completions {shell} printed nothing"
        );
        let path = dir.join(file);
        if update {
            std::fs::write(&path, &output.stdout).expect("write completion script");
            continue;
        }
        let committed = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run UPDATE_COMPLETIONS=1 cargo test --test integration completions",
                path.display()
            )
        });
        assert!(
            committed == output.stdout,
            "{} is out of date; run UPDATE_COMPLETIONS=1 cargo test --test integration completions",
            path.display()
        );
    }
}

#[test]
fn bash_completion_offers_the_subcommands_and_formats() {
    let script = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/ca-cli.bash"),
    )
    .expect("bash completion script");
    for word in [
        "flows",
        "completions",
        "--format",
        "ndjson",
        "--idle-timeout",
    ] {
        assert!(script.contains(word), "bash completion lacks {word}");
    }
}

/// Source the bash script and ask it for completions the way bash does on <TAB>.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/ca-cli.bash");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={cword}; _ca__cli ca-cli '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words[cword],
        words[cword - 1],
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &program])
        .output()
        .expect("bash runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_subcommands_options_and_values() {
    assert_eq!(bash_complete(&["ca-cli", "fl"]), ["flows"]);
    assert_eq!(
        bash_complete(&["ca-cli", "flows", "x.pcap", "--format", ""]),
        ["text", "json", "ndjson", "csv"]
    );
    let options = bash_complete(&["ca-cli", "flows", "x.pcap", "--id"]);
    assert_eq!(options, ["--idle-timeout"]);
}
