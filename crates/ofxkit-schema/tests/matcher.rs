//! The content-model matcher against every real content model: generated valid lists, random
//! damage cross-checked with a slow reference matcher, the "one misplaced element, one
//! issue" rule, and long lists.

use std::collections::BTreeSet;

use ofxkit_schema::{ContentIssue, ElementDef, Particle, Profile, check_children};

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// May `name` appear as its bare content (SGML `o o`: both tags omissible)?
fn transparent(profile: Profile, name: &str) -> Option<&'static Particle> {
    let def = profile.element(name)?;
    let m = def.minimization()?;
    if m.start_tag_omissible && m.end_tag_omissible { def.content_model() } else { None }
}

/// Reference matcher: the set of positions where `p` can end, starting from any of `start`.
/// Exponential in nothing, but allocation-happy: for short lists only.
fn ends(
    profile: Profile,
    p: &Particle,
    xs: &[&str],
    start: &BTreeSet<usize>,
    depth: usize,
) -> BTreeSet<usize> {
    match p {
        Particle::Elem(name) => {
            let mut out: BTreeSet<usize> =
                start.iter().filter(|&&i| xs.get(i) == Some(name)).map(|i| i + 1).collect();
            if let Some(model) = transparent(profile, name).filter(|_| depth < 8) {
                out.extend(ends(profile, model, xs, start, depth + 1));
            }
            out
        }
        Particle::Seq(items) => {
            items.iter().fold(start.clone(), |acc, item| ends(profile, item, xs, &acc, depth))
        }
        Particle::Choice(items) => {
            items.iter().flat_map(|item| ends(profile, item, xs, start, depth)).collect()
        }
        Particle::Opt(inner) => {
            let mut out = start.clone();
            out.extend(ends(profile, inner, xs, start, depth));
            out
        }
        Particle::Star(inner) => star(profile, inner, xs, start.clone(), depth),
        Particle::Plus(inner) => {
            let first = ends(profile, inner, xs, start, depth);
            star(profile, inner, xs, first, depth)
        }
        Particle::Repeat { min, max, particle } => {
            let mut cur = start.clone();
            for _ in 0..*min {
                cur = ends(profile, particle, xs, &cur, depth);
            }
            match max {
                None => star(profile, particle, xs, cur, depth),
                Some(max) => {
                    let mut acc = cur.clone();
                    for _ in *min..*max {
                        cur = ends(profile, particle, xs, &cur, depth);
                        acc.extend(cur.iter().copied());
                    }
                    acc
                }
            }
        }
        other => panic!("no All groups in the specifications: {other}"),
    }
}

fn star(
    profile: Profile,
    p: &Particle,
    xs: &[&str],
    mut acc: BTreeSet<usize>,
    depth: usize,
) -> BTreeSet<usize> {
    loop {
        let more = ends(profile, p, xs, &acc, depth);
        let before = acc.len();
        acc.extend(more);
        if acc.len() == before {
            return acc;
        }
    }
}

fn reference_accepts(profile: Profile, def: &ElementDef, xs: &[&str]) -> bool {
    let model = def.content_model().expect("an aggregate");
    ends(profile, model, xs, &BTreeSet::from([0]), 0).contains(&xs.len())
}

/// A valid child list: `full` takes every optional part and repeats repeatable ones twice;
/// choices are picked at random.
fn instance(p: &Particle, full: bool, rng: &mut Rng, out: &mut Vec<&'static str>) {
    match p {
        Particle::Elem(name) => out.push(name),
        Particle::Seq(items) | Particle::All(items) => {
            items.iter().for_each(|item| instance(item, full, rng, out));
        }
        Particle::Choice(items) => instance(&items[rng.below(items.len())], full, rng, out),
        Particle::Opt(inner) => {
            if full {
                instance(inner, full, rng, out);
            }
        }
        Particle::Star(inner) | Particle::Plus(inner) => {
            let times = match (p, full) {
                (Particle::Star(_), false) => 0,
                (Particle::Plus(_), false) => 1,
                _ => 2,
            };
            (0..times).for_each(|_| instance(inner, full, rng, out));
        }
        Particle::Repeat { min, max, particle } => {
            let times = if full { max.unwrap_or(min + 2).min(min + 2) } else { *min };
            (0..times).for_each(|_| instance(particle, full, rng, out));
        }
        other => panic!("unexpected particle {other}"),
    }
}

fn aggregates() -> impl Iterator<Item = (Profile, &'static ElementDef)> {
    Profile::ALL.into_iter().flat_map(|p| {
        p.elements().iter().filter(|d| d.content_model().is_some()).map(move |d| (p, d))
    })
}

fn errors(profile: Profile, parent: &str, children: &[&str]) -> Vec<String> {
    check_children(profile, parent, children)
        .iter()
        .filter(|i| i.is_error())
        .map(ToString::to_string)
        .collect()
}

#[test]
fn generated_lists_of_every_model_are_valid() {
    let mut rng = Rng(0x5eed);
    let mut checked = 0;
    for (profile, def) in aggregates() {
        for full in [false, true] {
            let mut children = Vec::new();
            instance(def.content_model().unwrap(), full, &mut rng, &mut children);
            assert!(
                reference_accepts(profile, def, &children),
                "reference: {profile} {} {children:?}",
                def.name()
            );
            let errors = errors(profile, def.name(), &children);
            assert!(errors.is_empty(), "{profile} {} {children:?}: {errors:?}", def.name());
            checked += 1;
        }
    }
    assert!(checked > 3000, "{checked}");
}

/// Random damage (drop, duplicate, swap, move, insert a name of the model or a stranger):
/// the matcher flags an error exactly when the reference matcher rejects the list.
#[test]
fn damaged_lists_agree_with_the_reference() {
    let mut rng = Rng(0xfeed_beef);
    let (mut valid, mut invalid) = (0, 0);
    for (profile, def) in aggregates() {
        let model = def.content_model().unwrap();
        let names = model.names();
        for round in 0..6 {
            let mut children = Vec::new();
            instance(model, round % 2 == 1, &mut rng, &mut children);
            let len = children.len();
            match rng.below(6) {
                0 if len > 0 => {
                    children.remove(rng.below(len));
                }
                1 if len > 0 => {
                    let i = rng.below(len);
                    children.insert(i, children[i]);
                }
                2 if len > 1 => {
                    let i = rng.below(len - 1);
                    children.swap(i, i + 1);
                }
                3 if len > 1 => {
                    let x = children.remove(rng.below(len));
                    children.insert(rng.below(len), x);
                }
                4 => children.insert(rng.below(len + 1), names[rng.below(names.len())]),
                _ => children.insert(rng.below(len + 1), "NOT-IN-ANY-MODEL"),
            }
            let accepted = reference_accepts(profile, def, &children);
            let errors = errors(profile, def.name(), &children);
            assert_eq!(
                errors.is_empty(),
                accepted,
                "{profile} {} {children:?}: {errors:?}",
                def.name()
            );
            if accepted { valid += 1 } else { invalid += 1 }
        }
    }
    assert!(valid > 1000 && invalid > 5000, "valid {valid}, invalid {invalid}");
}

/// Moving one element of a valid list elsewhere costs one issue, not a cascade.
#[test]
fn one_misplaced_element_is_one_issue() {
    let mut rng = Rng(42);
    let (mut moved, mut single) = (0, 0);
    let mut worst = Vec::new();
    let mut other_named = Vec::new();
    for (profile, def) in aggregates() {
        let mut children = Vec::new();
        instance(def.content_model().unwrap(), true, &mut rng, &mut children);
        if children.len() < 3 {
            continue;
        }
        for _ in 0..3 {
            let mut damaged = children.clone();
            let from = rng.below(damaged.len());
            let x = damaged.remove(from);
            let to = rng.below(damaged.len() + 1);
            damaged.insert(to, x);
            let issues = check_children(profile, def.name(), &damaged);
            if issues.is_empty() {
                continue;
            }
            moved += 1;
            if issues.len() == 1 {
                single += 1;
                if let ContentIssue::OutOfOrder { index, .. } | ContentIssue::TooMany { index, .. } =
                    issues[0]
                    && from.abs_diff(to) > 1
                    && damaged[index] != x
                {
                    // A far move read as the other elements moving: count it.
                    other_named.push(format!("{profile} {} {damaged:?}: {issues:?}", def.name()));
                }
            } else {
                worst.push(format!("{profile} {} {damaged:?}: {issues:?}", def.name()));
            }
        }
    }
    assert!(moved > 1000, "{moved}");
    assert!(
        worst.is_empty(),
        "{} of {moved} moves gave several issues:\n{}",
        worst.len(),
        worst.join("\n")
    );
    assert_eq!(single, moved);
    // A move over one other element reads both ways; a longer one can too, rarely (SSN
    // before TAXW2_V100 in TAXW2RS is SSN late or TAXW2_V100 early).
    assert!(other_named.len() * 100 <= moved, "{}", other_named.join("\n"));
}

#[test]
fn a_long_list_is_matched_in_one_pass() {
    let mut children = vec!["DTSTART", "DTEND"];
    children.extend(std::iter::repeat_n("STMTTRN", 200_000));
    for profile in [Profile::Ofx160, Profile::Ofx201, Profile::Ofx220] {
        assert_eq!(check_children(profile, "BANKTRANLIST", &children), []);
    }
    // DTEND moved to the middle, an extension and a second DTSTART at the end: one issue
    // each, and the other 200 000 children still match.
    children[1] = "STMTTRN";
    children[100_000] = "DTEND";
    children.push("INTU.XID");
    children.push("DTSTART");
    let issues = check_children(Profile::Ofx160, "BANKTRANLIST", &children);
    assert_eq!(
        issues,
        [
            ContentIssue::OutOfOrder {
                index: 100_000,
                name: "DTEND",
                should_come_after: Some(0),
                should_come_before: Some(1)
            },
            ContentIssue::Extension { index: 200_002, name: "INTU.XID" },
            ContentIssue::TooMany { index: 200_003, name: "DTSTART" },
        ]
    );
}

#[test]
fn a_long_list_of_errors_stays_linear() {
    // Every other child misplaced: each costs one small repair, not a scan of the rest.
    let mut children = vec!["DTSTART", "DTEND"];
    for _ in 0..10_000 {
        children.extend(["BUYSTOCK", "DTSTART"]);
    }
    let issues = check_children(Profile::Ofx160, "INVTRANLIST", &children);
    assert_eq!(issues.len(), 10_000);
    assert!(issues.iter().all(|i| matches!(i, ContentIssue::TooMany { name: "DTSTART", .. })));
}
