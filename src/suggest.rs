//! Suggestions for a mistyped name: the known names nearest it.

/// `: did you mean A, B?` for the known names nearest `name` (at most three, within a few
/// edits), or nothing.
pub(crate) fn closest(name: &str, known: &[&str]) -> String {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    // Nearest first; of as near, those that start as the name does.
    let first = name.chars().next();
    let mut near: Vec<(usize, bool, &str)> = known
        .iter()
        .map(|k| (edit_distance(name, k), k.chars().next() != first, *k))
        .filter(|(d, _, k)| *d <= limit || (name.len() >= 3 && k.starts_with(name)))
        .collect();
    near.sort();
    near.truncate(3);
    if near.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = near.into_iter().map(|(_, _, k)| k).collect();
    format!(": did you mean {}?", names.join(", "))
}

/// Levenshtein distance, by characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("htps", "https"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn nearest_names_first() {
        assert_eq!(
            closest("Asia/Seol", &["Asia/Seoul", "Asia/Tokyo", "Europe/Oslo"]),
            ": did you mean Asia/Seoul?"
        );
        assert_eq!(closest("zzzz", &["Asia/Seoul"]), "");
    }
}
