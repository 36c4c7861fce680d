//! Dotenv files, for `sealpost github set --env-file`: every `NAME=VALUE`, parsed by
//! `dotenvy` (comments, `export`, single and double quotes, values over several lines,
//! `$NAME` and `${NAME}` expanded in unquoted and double-quoted values).
//!
//! A name given twice keeps its first place and its last value, as a shell that
//! sources the file would. Lines that cannot be parsed are reported by line number
//! only: the line itself may hold a secret.

use std::fmt;

use secrecy::SecretString;

/// The byte-order mark some editors put at the start of a UTF-8 file.
const BOM: &str = "\u{feff}";

/// The entries of a dotenv file.
pub(crate) struct EnvFile {
    /// Every name with its value, in the order names first appear.
    pub(crate) entries: Vec<(String, SecretString)>,
    /// Names given more than once, in the order they repeat; the last value is kept.
    pub(crate) repeated: Vec<String>,
}

/// A part of a dotenv file that is not `NAME=VALUE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SyntaxError {
    /// The file is not UTF-8 from this line on.
    NotUtf8 {
        /// The line (from 1).
        line: usize,
    },
    /// A line that is not `NAME=VALUE`, or a quote or `${` that is never closed.
    Line {
        /// The line it starts on (from 1), when it could be found.
        line: Option<usize>,
    },
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyntaxError::NotUtf8 { line } => {
                write!(f, "line {line}: not UTF-8 text; save the file as UTF-8")
            }
            SyntaxError::Line { line } => {
                match line {
                    Some(line) => write!(f, "line {line}: ")?,
                    None => f.write_str("a line: ")?,
                }
                f.write_str(
                    "not NAME=VALUE, or a quote or `${` that is not closed (names are letters, \
                     digits, `_` and `.`, not starting with a digit)",
                )
            }
        }
    }
}

/// Parses a whole dotenv file. Either every line parses, or every line that does not
/// is reported.
///
/// `$NAME` in a value is replaced by the process's environment variable `NAME` if it is
/// set, else by the value of `NAME` earlier in the file, else by nothing (`dotenvy`'s
/// rules). Single quotes keep a value as written.
pub(crate) fn parse(bytes: &[u8]) -> Result<EnvFile, Vec<SyntaxError>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let line = line_of(bytes, err.valid_up_to());
            return Err(vec![SyntaxError::NotUtf8 { line }]);
        }
    };
    let text = text.strip_prefix(BOM).unwrap_or(text);

    let mut entries: Vec<(String, SecretString)> = Vec::new();
    let mut repeated = Vec::new();
    let mut errors = Vec::new();
    // Where to look for the next failing line: after the last one found.
    let mut cursor = 0;
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            Ok((name, value)) => {
                let value = SecretString::from(value);
                if let Some(entry) = entries.iter_mut().find(|(known, _)| *known == name) {
                    entry.1 = value;
                    repeated.push(name);
                } else {
                    entries.push((name, value));
                }
            }
            Err(dotenvy::Error::LineParse(snippet, _)) => {
                // `snippet` is the failing line or its value: it may hold a secret, so
                // only its position is kept.
                let found = (!snippet.is_empty())
                    .then(|| text[cursor..].find(&snippet))
                    .flatten()
                    .map(|offset| cursor + offset);
                if let Some(start) = found {
                    cursor = start + snippet.len();
                }
                errors.push(SyntaxError::Line {
                    line: found.map(|start| line_of(text.as_bytes(), start)),
                });
            }
            // Reading from memory fails only for text that is not UTF-8 (checked
            // above), and `from_read_iter` never reads the environment as a whole.
            Err(_) => errors.push(SyntaxError::Line { line: None }),
        }
    }
    if errors.is_empty() {
        Ok(EnvFile { entries, repeated })
    } else {
        Err(errors)
    }
}

/// The first line (from 1) of `bytes` that defines `name`: `NAME=...` or
/// `export NAME=...`, blanks allowed around the name. Used to point at names, never at
/// values.
pub(crate) fn definition_line(bytes: &[u8], name: &str) -> Option<usize> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .position(|line| {
            let line = line.trim_start().trim_start_matches(BOM);
            let line = line
                .strip_prefix("export")
                .filter(|rest| rest.starts_with([' ', '\t']))
                .map_or(line, str::trim_start);
            line.strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|index| index + 1)
}

/// The line (from 1) that byte `offset` of `text` is on.
fn line_of(text: &[u8], offset: usize) -> usize {
    // Files of a few kilobytes; not worth a dependency for counting fast.
    #[allow(clippy::naive_bytecount)]
    let newlines = text[..offset].iter().filter(|&&b| b == b'\n').count();
    newlines + 1
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret as _;

    use super::*;

    fn entries(text: &str) -> Vec<(String, String)> {
        parse(text.as_bytes())
            .unwrap_or_else(|errors| panic!("{errors:?}"))
            .entries
            .into_iter()
            .map(|(name, value)| (name, value.expose_secret().to_owned()))
            .collect()
    }

    fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn comments_export_quotes_and_multiline_values() {
        let text = "\u{feff}# a comment\n\
                    \n\
                    PLAIN=value # trailing comment\n\
                    export EXPORTED=1\n\
                    SINGLE='keeps $HOME and # as written'\n\
                    DOUBLE=\"line one\nline two\"\n\
                    ESCAPED=\"new\\nline and \\\"quotes\\\"\"\n\
                    EMPTY=\n\
                    SPACED = \"  padded  \"\r\n\
                    LAST=no_newline_at_the_end";
        assert_eq!(
            entries(text),
            pairs(&[
                ("PLAIN", "value"),
                ("EXPORTED", "1"),
                ("SINGLE", "keeps $HOME and # as written"),
                ("DOUBLE", "line one\nline two"),
                ("ESCAPED", "new\nline and \"quotes\""),
                ("EMPTY", ""),
                ("SPACED", "  padded  "),
                ("LAST", "no_newline_at_the_end"),
            ])
        );
    }

    #[test]
    fn earlier_values_are_expanded() {
        let name = "SEALPOST_TEST_VARIABLE_THAT_IS_NEVER_SET";
        let text = format!("{name}=first\nURL=\"${{{name}}}/x\"\nRAW='${{{name}}}'\n");
        assert_eq!(
            entries(&text),
            pairs(&[
                (name, "first"),
                ("URL", "first/x"),
                ("RAW", &format!("${{{name}}}"))
            ])
        );
    }

    #[test]
    fn a_later_duplicate_wins_in_the_first_place() {
        let file = parse(b"A=1\nB=2\nA=3\nA=4\n").unwrap();
        let got: Vec<_> = file
            .entries
            .iter()
            .map(|(name, value)| (name.as_str(), value.expose_secret()))
            .collect();
        assert_eq!(got, [("A", "4"), ("B", "2")]);
        assert_eq!(file.repeated, ["A", "A"]);
    }

    #[test]
    fn definitions_are_found_by_name() {
        let file = b"# comment\nnpm_token=a\n  export NPM_TOKEN = b\nNPM_TOKEN_2=c\n";
        assert_eq!(definition_line(file, "npm_token"), Some(2));
        assert_eq!(definition_line(file, "NPM_TOKEN"), Some(3));
        assert_eq!(definition_line(file, "NPM_TOKEN_2"), Some(4));
        assert_eq!(definition_line(file, "NPM"), None);
    }

    #[test]
    fn every_bad_line_is_reported_by_number() {
        let text = "GOOD=1\n\
                    not a pair\n\
                    ALSO_GOOD=2\n\
                    API-KEY=s3cr3t\n\
                    1ST=x\n\
                    OPEN=\"never closed\n\
                    MORE=lines";
        let errors = parse(text.as_bytes()).err().unwrap();
        assert_eq!(
            errors,
            [
                SyntaxError::Line { line: Some(2) },
                SyntaxError::Line { line: Some(4) },
                SyntaxError::Line { line: Some(5) },
                SyntaxError::Line { line: Some(6) },
            ]
        );
        // The message never repeats the line.
        assert!(!errors[1].to_string().contains("s3cr3t"));
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_with_its_line() {
        let errors = parse(b"A=1\nB=\xff\xfe\n").err().unwrap();
        assert_eq!(errors, [SyntaxError::NotUtf8 { line: 2 }]);
    }

    #[test]
    fn an_empty_file_has_no_entries() {
        let file = parse(b"# nothing here\n\n").unwrap();
        assert!(file.entries.is_empty());
    }
}
