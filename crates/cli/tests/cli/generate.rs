//! `sealpost completions` and `sealpost man`: generated from the same definition the
//! binary parses, so they must name its commands and flags, and be usable by the shell
//! and by `man`.

use std::path::Path;
use std::process::Command as Process;

use crate::{described, one_line_failure, sealpost};

/// Every command the top level offers (clap's `help` aside).
const COMMANDS: [&str; 7] = [
    "keygen",
    "seal",
    "open",
    "github",
    "coder",
    "completions",
    "man",
];

fn generated(args: &[&str]) -> String {
    let output = sealpost().args(args).output().unwrap();
    assert!(output.status.success(), "{}", described(&output));
    assert!(output.stderr.is_empty(), "{}", described(&output));
    String::from_utf8(output.stdout).unwrap()
}

/// Whether `program` runs here; the checks that need it are skipped, saying so, if not.
fn available(program: &str) -> bool {
    let found = Process::new(program).arg("--version").output().is_ok();
    if !found {
        eprintln!("{program} is not installed here: that part of the check is skipped");
    }
    found
}

/// Loads the bash script into bash and asks its completion function what it offers
/// for the command line `words`, the last word being the one completed.
fn bash_offers(script: &Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|word| format!("'{word}'")).collect();
    let program = format!(
        "source '{}'\n\
         COMP_WORDS=({})\n\
         COMP_CWORD={}\n\
         _sealpost sealpost '{}' '{}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let output = Process::new("bash")
        .arg("-c")
        .arg(program)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", described(&output));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_commands_subcommands_and_values() {
    let script = generated(&["completions", "bash"]);
    assert!(script.contains("complete -F _sealpost"), "{script}");
    if !available("bash") {
        return;
    }
    let dir = tempdir();
    let path = dir.join("sealpost.bash");
    std::fs::write(&path, script).unwrap();

    assert_eq!(bash_offers(&path, &["sealpost", "gi"]), ["github"]);
    let top = bash_offers(&path, &["sealpost", ""]);
    for command in COMMANDS {
        assert!(
            top.iter().any(|offer| offer == command),
            "{command} not in {top:?}"
        );
    }
    assert_eq!(bash_offers(&path, &["sealpost", "github", "s"]), ["set"]);
    let shells = bash_offers(&path, &["sealpost", "completions", ""]);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        assert!(
            shells.iter().any(|offer| offer == shell),
            "{shell} not in {shells:?}"
        );
    }
    let set_flags = bash_offers(&path, &["sealpost", "github", "set", "--vis"]);
    assert_eq!(set_flags, ["--visibility"]);
}

#[test]
fn every_shell_gets_a_script_that_registers_sealpost_and_names_its_commands() {
    for (shell, registration) in [
        (
            "bash",
            "complete -F _sealpost -o bashdefault -o default sealpost",
        ),
        ("zsh", "#compdef sealpost"),
        ("fish", "complete -c sealpost"),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName 'sealpost'",
        ),
    ] {
        let script = generated(&["completions", shell]);
        assert!(script.contains(registration), "{shell}: {script}");
        for command in COMMANDS {
            assert!(script.contains(command), "{shell} script lacks {command}");
        }
        // Long flags, without their dashes: fish writes `-l secret-key`.
        for flag in ["secret-key", "visibility", "env-file", "out-dir"] {
            assert!(script.contains(flag), "{shell} script lacks --{flag}");
        }
    }
}

#[test]
fn zsh_and_fish_accept_their_scripts_where_installed() {
    let dir = tempdir();
    for (shell, check) in [("zsh", "-n"), ("fish", "--no-execute")] {
        if !available(shell) {
            continue;
        }
        let path = dir.join(shell);
        std::fs::write(&path, generated(&["completions", shell])).unwrap();
        let output = Process::new(shell).arg(check).arg(&path).output().unwrap();
        assert!(output.status.success(), "{shell}: {}", described(&output));
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error_listing_the_known_ones() {
    let output = sealpost().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", described(&output));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("[possible values: bash, zsh, fish, powershell]"),
        "{stderr}"
    );
}

#[test]
fn the_man_page_describes_sealpost_and_lists_its_commands() {
    let page = generated(&["man"]);
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        page.contains(&format!(".TH sealpost 1  \"sealpost {version}\"")),
        "{page}"
    );
    assert!(
        page.contains(".SH NAME\nsealpost \\- Seal secrets exactly as libsodium"),
        "{page}"
    );
    for command in COMMANDS {
        assert!(
            page.contains(&format!("sealpost\\-{command}(1)")),
            "{command}: {page}"
        );
    }
    // clap's `help` command has no page, so the page does not point to one.
    assert!(!page.contains("sealpost\\-help"), "{page}");
}

#[test]
fn groff_renders_the_man_page_without_warnings() {
    if !available("groff") {
        return;
    }
    let dir = tempdir();
    let path = dir.join("sealpost.1");
    std::fs::write(&path, generated(&["man"])).unwrap();
    let output = Process::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", described(&output));
    assert!(output.stderr.is_empty(), "{}", described(&output));
}

#[test]
fn man_out_dir_writes_a_page_for_every_command_the_top_page_names() {
    let dir = tempdir();
    let listing = generated(&["man", "--out-dir", dir.to_str().unwrap()]);
    let written: Vec<&str> = listing.lines().collect();
    assert!(
        written.contains(&dir.join("sealpost.1").to_str().unwrap()),
        "{listing}"
    );
    for path in &written {
        let page = std::fs::read_to_string(path).unwrap();
        let name = Path::new(path).file_stem().unwrap().to_str().unwrap();
        assert!(
            page.starts_with(".ie") && page.contains(&format!(".TH {name} 1 ")),
            "{path}"
        );
    }
    // Every page a page refers to, `sealpost-github-set(1)` and the like, was written.
    for path in &written {
        let page = std::fs::read_to_string(path).unwrap();
        for line in page.lines().filter(|line| line.ends_with("(1)")) {
            let name = line.trim_end_matches("(1)").replace("\\-", "-");
            assert!(
                dir.join(format!("{name}.1")).is_file(),
                "{path} names {line}"
            );
        }
    }
    let set = std::fs::read_to_string(dir.join("sealpost-github-set.1")).unwrap();
    assert!(set.contains("\\-\\-visibility"), "{set}");
}

#[test]
fn man_out_dir_that_does_not_exist_is_one_line_of_error() {
    let dir = tempdir();
    let missing = dir.join("not-there");
    let line = one_line_failure(sealpost().args(["man", "--out-dir", missing.to_str().unwrap()]));
    assert!(
        line.starts_with(&format!(
            "error: could not write the manual page {}",
            missing.join("sealpost.1").display()
        )),
        "{line}"
    );
    assert!(line.ends_with("give --out-dir a directory that exists and that you can write to"));
}

/// A fresh directory of this test's own under the target directory.
fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "generate-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
