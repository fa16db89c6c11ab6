//! Near-duplicate groups: images whose feature vectors are nearly the same direction
//! (resized, recompressed, slightly cropped or rotated copies of one photo). Every pair at or
//! above the threshold links two images; a group is a connected set of links (union–find),
//! so three copies group together even if the two most different ones fall just below.
//! All pairs are compared (n²/2 dot products of unit vectors, the SIMD kernel of the search
//! index), which is exact and needs no index; its cost for large libraries is not measured yet.

use crate::simd::dot;

/// One group: indices into the input, and the weakest link that holds it together.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateGroup {
    pub members: Vec<usize>,
    pub similarity: f32,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The groups (two members or more) of unit `vectors` linked at cosine ≥ `threshold`, in
/// the order of their first member.
pub fn near_duplicate_groups(vectors: &[Vec<f32>], threshold: f32) -> Vec<DuplicateGroup> {
    let n = vectors.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut links: Vec<(usize, usize, f32)> = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            if vectors[i].len() != vectors[j].len() {
                continue;
            }
            let s = dot(&vectors[i], &vectors[j]);
            if s >= threshold {
                links.push((i, j, s));
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut groups: Vec<(usize, DuplicateGroup)> = Vec::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        if root == i {
            continue;
        }
        match groups.iter_mut().find(|(r, _)| *r == root) {
            Some((_, g)) => g.members.push(i),
            None => groups.push((
                root,
                DuplicateGroup {
                    members: vec![root, i],
                    similarity: 1.0,
                },
            )),
        }
    }
    for (root, g) in &mut groups {
        g.similarity = links
            .iter()
            .filter(|(a, _, _)| find(&mut parent, *a) == *root)
            .map(|(_, _, s)| *s)
            .fold(1.0, f32::min);
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn links_chain_into_groups_and_singletons_stay_out() {
        let v = vec![
            unit(&[1.0, 0.0, 0.0]),
            unit(&[0.0, 1.0, 0.0]),
            unit(&[1.0, 0.05, 0.0]), // copy of 0
            unit(&[0.0, 0.0, 1.0]),  // alone
            unit(&[1.0, 0.1, 0.0]),  // copy of 2 (and of 0)
            unit(&[0.02, 1.0, 0.0]), // copy of 1
        ];
        let g = near_duplicate_groups(&v, 0.99);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].members, vec![0, 2, 4]);
        assert_eq!(g[1].members, vec![1, 5]);
        assert!(g[0].similarity >= 0.99 && g[0].similarity < 1.0);
        assert!(near_duplicate_groups(&v, 0.99999).is_empty());
        assert!(near_duplicate_groups(&[], 0.9).is_empty());
    }
}
