//! What a terminal shows for the bytes a program printed.
//!
//! Output is matched "as a terminal shows it": a carriage return moves back to the start of
//! the line and later text overwrites earlier text (spinners, progress lines), an
//! erase-line sequence clears, colours and other ANSI sequences show nothing, and bytes that
//! are not UTF-8 show as `�`. Paths to the listing's crate are shown relative to it.

/// Turns raw output into the lines a terminal would show, then normalises them for matching
/// (trailing spaces, trailing blank lines). `crate_prefixes` are the spellings of the crate's
/// directory (`listings/ch04/x/`, absolute) that are removed so paths read `src/main.rs`.
pub(crate) fn printed_lines(raw: &[u8], crate_prefixes: &[String]) -> Vec<String> {
    let mut text = String::from_utf8_lossy(raw).into_owned();
    for prefix in crate_prefixes {
        if text.contains(prefix.as_str()) {
            text = text.replace(prefix.as_str(), "");
        }
    }
    let shown: String = text.split('\n').map(render_line).collect::<Vec<_>>().join("\n");
    crate::util::text::normalize_lines(&shown)
}

/// One line as a terminal leaves it: a cell buffer with a cursor.
fn render_line(line: &str) -> String {
    if !line.contains(['\r', '\x1b', '\x08']) {
        return line.to_string();
    }
    let mut cells: Vec<char> = Vec::new();
    let mut cursor = 0usize;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => cursor = 0,
            '\x08' => cursor = cursor.saturating_sub(1),
            '\x1b' => {
                // CSI: ESC [ params final-byte. Only erase-in-line changes what is shown.
                if chars.peek() == Some(&'[') {
                    chars.next();
                    let mut params = String::new();
                    let mut fin = None;
                    for p in chars.by_ref() {
                        if ('@'..='~').contains(&p) {
                            fin = Some(p);
                            break;
                        }
                        params.push(p);
                    }
                    if fin == Some('K') {
                        match params.as_str() {
                            "" | "0" => cells.truncate(cursor),
                            "1" => cells.iter_mut().take(cursor + 1).for_each(|c| *c = ' '),
                            "2" => cells.clear(),
                            _ => {}
                        }
                    }
                } else if chars.peek() == Some(&']') {
                    // OSC (terminal titles, hyperlinks): up to BEL or ESC \.
                    chars.next();
                    while let Some(p) = chars.next() {
                        if p == '\x07' || (p == '\x1b' && chars.peek() == Some(&'\\')) {
                            if p == '\x1b' {
                                chars.next();
                            }
                            break;
                        }
                    }
                } else {
                    chars.next();
                }
            }
            c => {
                if cursor < cells.len() {
                    cells[cursor] = c;
                } else {
                    cells.resize(cursor, ' ');
                    cells.push(c);
                }
                cursor += 1;
            }
        }
    }
    cells.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> Vec<String> {
        printed_lines(s.as_bytes(), &[])
    }

    #[test]
    fn carriage_return_overwrites() {
        assert_eq!(show("| working\r/ working\rdone     \n"), vec!["done"]);
        assert_eq!(show("abcdef\rXY\n"), vec!["XYcdef"]);
        assert_eq!(show("a\r\nb\r\n"), vec!["a", "b"], "CRLF is a line ending");
    }

    #[test]
    fn ansi_sequences_show_nothing_but_erase_line_erases() {
        assert_eq!(show("\x1b[1;31merror\x1b[0m: x\n"), vec!["error: x"]);
        assert_eq!(show("progress 50%\r\x1b[2Kdone\n"), vec!["done"]);
        assert_eq!(show("abcdef\r\x1b[Kxy\n"), vec!["xy"]);
        assert_eq!(show("\x1b]0;title\x07shown\n"), vec!["shown"]);
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        assert_eq!(
            printed_lines(b"ok \xff\xfe end\n", &[]),
            vec!["ok \u{fffd}\u{fffd} end"]
        );
    }

    #[test]
    fn crate_paths_are_relative() {
        let lines = printed_lines(
            b"thread 'main' panicked at listings/ch04/x/src/main.rs:3:5:\n",
            &["listings/ch04/x/".to_string()],
        );
        assert_eq!(lines, vec!["thread 'main' panicked at src/main.rs:3:5:"]);
    }
}
