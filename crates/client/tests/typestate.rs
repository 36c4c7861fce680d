//! Builders whose required fields are missing do not compile.
//!
//! Each case is a file in `tests/ui/`, with the compiler's full output beside it in a
//! `.stderr` file, for review. What is compared is only what a typestate promises, not
//! how the compiler words its notes: the error codes, each error's headline, and the
//! line it points at. A newer compiler that reflows a span, adds a note or spells a
//! type's path in full does not fail this test; a case that compiles, or fails for
//! another reason or at another line, does.
//!
//! The cases are compiled by trybuild, in a copy of `tests/ui` under the target
//! directory, in a child process with `TRYBUILD=overwrite`, so that trybuild records the
//! output instead of comparing it byte for byte. Run with `TRYBUILD=overwrite` to
//! rewrite `tests/ui/*.stderr` from the current compiler (after adding a case, or when
//! the key lines changed on purpose), and review the diff.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The ignored test that the child process runs.
const CHILD_TEST: &str = "compile_copied_cases";
/// Tells the child where the copied cases are.
const CASES_ENV: &str = "SEALPOST_TYPESTATE_CASES";

#[test]
fn missing_required_fields_do_not_compile() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    let cases = case_files(&ui);
    assert!(!cases.is_empty(), "no cases in {}", ui.display());

    let copies = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typestate-ui");
    if copies.exists() {
        fs::remove_dir_all(&copies).unwrap();
    }
    fs::create_dir_all(&copies).unwrap();
    for case in &cases {
        fs::copy(case, copies.join(case.file_name().unwrap())).unwrap();
    }

    let child = Command::new(std::env::current_exe().unwrap())
        .args([CHILD_TEST, "--exact", "--ignored", "--nocapture"])
        .env(CASES_ENV, &copies)
        .env("TRYBUILD", "overwrite")
        .output()
        .unwrap();
    assert!(
        child.status.success(),
        "trybuild failed (a case that compiles fails here):\n{}\n{}",
        String::from_utf8_lossy(&child.stdout),
        String::from_utf8_lossy(&child.stderr)
    );

    let bless = std::env::var_os("TRYBUILD").is_some_and(|value| value == "overwrite");
    let mut mismatches = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap();
        let actual = fs::read_to_string(copies.join(name).with_extension("stderr"))
            .unwrap()
            // The copies' paths, as they would read from the crate's directory.
            .replace(&format!("{}/", copies.display()), "tests/ui/");
        let expected_path = case.with_extension("stderr");
        if bless {
            fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let Ok(expected) = fs::read_to_string(&expected_path) else {
            mismatches.push(format!(
                "{}: no expected output; run with TRYBUILD=overwrite to write it, and review it",
                expected_path.display()
            ));
            continue;
        };
        let (expected_keys, actual_keys) = (key_lines(&expected), key_lines(&actual));
        if expected_keys.is_empty() {
            mismatches.push(format!("{}: names no error", expected_path.display()));
        } else if expected_keys != actual_keys {
            mismatches.push(format!(
                "{}:\nexpected {expected_keys:#?}\nbut the compiler now says {actual_keys:#?}\n\
                 full output:\n{actual}",
                case.display()
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
}

/// Compiles the copied cases; run by [`missing_required_fields_do_not_compile`] in a
/// child process, and does nothing on its own.
#[test]
#[ignore = "run by missing_required_fields_do_not_compile, in a child process"]
fn compile_copied_cases() {
    let Some(dir) = std::env::var_os(CASES_ENV) else {
        eprintln!(
            "{CASES_ENV} is not set: this runs inside missing_required_fields_do_not_compile"
        );
        return;
    };
    let cases = trybuild::TestCases::new();
    cases.compile_fail(Path::new(&dir).join("*.rs"));
}

/// The `.rs` files of `dir`, in name order.
fn case_files(dir: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    cases.sort();
    cases
}

/// What must stay the same across compilers: for each error, its headline (code and
/// message, with paths and generic arguments taken out of the types it names) and the
/// file and line it points at.
fn key_lines(stderr: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut lines = stderr.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("error") || line.starts_with("error: aborting") {
            continue;
        }
        keys.push(headline(line));
        if let Some(location) = lines
            .next()
            .and_then(|next| next.trim().strip_prefix("--> "))
        {
            keys.push(format!("at {}", file_and_line(location)));
        }
    }
    keys
}

/// A headline with the types it names reduced to their last path segment, without
/// generic arguments: ``for struct `a::b::Put<a::W>` in`` becomes ``for struct `Put` in``.
fn headline(line: &str) -> String {
    let mut out = String::new();
    for (i, part) in line.split('`').enumerate() {
        if i % 2 == 1 {
            out.push('`');
            out.push_str(&bare_type(part));
            out.push('`');
        } else {
            out.push_str(part);
        }
    }
    out
}

/// `a::b::Put<a::W>` becomes `Put`: the last path segment, without generic arguments.
fn bare_type(text: &str) -> String {
    let without_generics = text.split('<').next().unwrap_or(text);
    without_generics
        .rsplit("::")
        .next()
        .unwrap_or(without_generics)
        .to_owned()
}

/// `$DIR/tests/ui/case.rs:7:10` becomes `case.rs:7`: the file's name and the line (the
/// column moves when the compiler underlines differently).
fn file_and_line(location: &str) -> String {
    let mut parts = location.rsplitn(3, ':');
    let (_column, line, path) = (parts.next(), parts.next(), parts.next());
    let file = path
        .and_then(|path| Path::new(path).file_name())
        .map_or_else(
            || location.to_owned(),
            |name| name.to_string_lossy().into_owned(),
        );
    format!("{file}:{}", line.unwrap_or("?"))
}
