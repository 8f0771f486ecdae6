//! "Did you mean": the closest allowed value to a near miss such as `us-esat-1`.

/// The allowed value nearest to `text` by edit distance (a swap of neighbours counts once), if it is
/// near enough to be a typo rather than a different value.
pub fn closest(text: &str, allowed: &[String]) -> Option<String> {
    let limit = (text.chars().count() / 4).clamp(1, 3);
    allowed
        .iter()
        .map(|a| (distance(&text.to_lowercase(), &a.to_lowercase()), a))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a.clone())
}

/// Optimal string alignment distance.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos_only() {
        let regions: Vec<String> = ["us-east-1", "us-east-2", "eu-west-1"]
            .map(String::from)
            .to_vec();
        assert_eq!(closest("us-esat-1", &regions).as_deref(), Some("us-east-1"));
        assert_eq!(closest("US-EAST-2", &regions).as_deref(), Some("us-east-2"));
        assert_eq!(closest("mars-north-9", &regions), None);
    }
}
