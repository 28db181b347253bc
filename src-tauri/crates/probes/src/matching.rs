//! Small matchers for assertions: dot paths into JSON (`a.b[0].c`) and `*`/`?` globs.

use serde_json::Value;

/// The value at a dot path: keys separated by `.`, array indexes as `[n]`, optional leading `$.`.
pub fn json_path<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let path = path.trim().trim_start_matches('$').trim_start_matches('.');
    let mut current = root;
    if path.is_empty() {
        return Some(current);
    }
    for segment in path.split('.') {
        let (key, mut rest) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            current = current.get(key)?;
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let end = stripped.find(']')?;
            let index: usize = stripped[..end].trim().parse().ok()?;
            current = current.get(index)?;
            rest = &stripped[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(current)
}

/// Whole-text glob: `*` matches any run of characters (newlines included), `?` one character.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn dot_paths_walk_objects_and_arrays() {
        let v = json!({"a": {"b": [{"c": 1}, {"c": 2}]}, "status": "ok", "m": [[5, 6]]});
        assert_eq!(json_path(&v, "a.b[1].c"), Some(&json!(2)));
        assert_eq!(json_path(&v, "$.status"), Some(&json!("ok")));
        assert_eq!(json_path(&v, "m[0][1]"), Some(&json!(6)));
        assert_eq!(json_path(&v, "a.b[7].c"), None);
        assert_eq!(json_path(&v, "a.x"), None);
    }

    #[test]
    fn globs_match_the_whole_text() {
        assert!(glob("*\"status\":*\"ok\"*", "{\"status\": \"ok\"}"));
        assert!(glob("v?.*", "v2.1.0"));
        assert!(!glob("v?.*", "version 2"));
        assert!(glob("*", ""));
    }
}
