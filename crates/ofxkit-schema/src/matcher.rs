//! Checking a list of child names against a content model.
//!
//! # How it works
//!
//! Each content model becomes a Glushkov automaton once (cached per element): one state per
//! element occurrence in the model, plus a start state, with an edge from `p` to `q` when the
//! occurrence `q` may directly follow `p`. The alphabet is the model's element names; a child
//! whose name is not in it is reported on its own ([`ContentIssue::Unexpected`], or
//! [`ContentIssue::Extension`] for a dotted vendor name) and skipped.
//!
//! A valid list is matched in one pass over state sets (a single state for the
//! deterministic models the specifications require), so the cost is linear in the number of
//! children: a `BANKTRANLIST` of 500 000 `STMTTRN` costs 500 000 table steps.
//!
//! When the pass fails, the list is aligned against the automaton with the fewest edits: a
//! dynamic program over a window of children (from [`BACKOFF`] children before the failing
//! one, since the misplaced child may be one the pass already accepted, to at most
//! [`WINDOW`] after it) weighs, per state, "match this child" (free), "skip it" (two units)
//! and "insert a missing element" (one unit), commits the cheapest path as soon as one state
//! is clearly ahead again, and goes back to the single pass. Each repair costs
//! `O(window × edges)` and consumes its window, so the whole check stays linear in the
//! number of children whatever their errors.
//!
//! The committed edits become issues: a skipped child that an insertion of the same name
//! explains is one [`OutOfOrder`](ContentIssue::OutOfOrder) (the move, not a missing element
//! plus an extra one; that is also why skipping costs more than inserting: a move beats
//! skipping two well-placed optional elements); a skipped child that fits another gap of the
//! path is out of order too; any other skipped child is [`TooMany`](ContentIssue::TooMany);
//! an insertion left over is [`Missing`](ContentIssue::Missing). So one misplaced element
//! yields one issue, and the elements after it match again. On equal costs, the later of two
//! children is the one reported (the second `CURDEF` is the extra one).

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use std::fmt;

use crate::def::{Content, ElementDef, Particle};
use crate::profile::Profile;

/// Children aligned per repair window, from the failing child on.
pub(crate) const WINDOW: usize = 24;

/// Children before the failing one that a repair may re-align.
const BACKOFF: usize = 8;

/// How far (in path steps) an out-of-order child looks for the place it belongs.
const REACH: usize = 64;

/// Copies of a bounded repetition (`maxOccurs="12"`) expanded into the automaton; beyond
/// this, the rest is read as unbounded.
const MAX_COPIES: u32 = 32;

/// `&` groups up to this size become a choice of all their orders; larger ones are read
/// leniently as `(A | B | ...)*`.
const MAX_ALL_PERMUTED: usize = 4;

/// One way a list of children departs from its parent's content model.
///
/// Indices are positions in the `children` slice given to
/// [`check_children`](crate::check_children).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContentIssue<'a> {
    /// A required element is absent. `expected` lists the alternatives that would fill the
    /// slot (one name, or several for a required choice such as `TOKEN | TOKEN2`); it
    /// belongs before the child at `before_index` (`children.len()`: at the end).
    Missing {
        /// Names that would satisfy the model here.
        expected: Vec<&'static str>,
        /// Where the missing element belongs: before this child index.
        before_index: usize,
    },
    /// An element that the parent's content model does not mention at all.
    Unexpected {
        /// Index of the child.
        index: usize,
        /// Its name.
        name: &'a str,
    },
    /// An element the parent allows, but not at this place. `should_come_after` and
    /// `should_come_before` are the indices of the matched children around the place where
    /// it belongs (either may be `None`: at the start, at the end, or unknown).
    OutOfOrder {
        /// Index of the child.
        index: usize,
        /// Its name.
        name: &'a str,
        /// It belongs after this child.
        should_come_after: Option<usize>,
        /// It belongs before this child.
        should_come_before: Option<usize>,
    },
    /// An element the parent allows, whose place is already taken: a repeat of an element
    /// that may occur once, or a second alternative of a choice (`NAME` and `PAYEE`).
    TooMany {
        /// Index of the child.
        index: usize,
        /// Its name.
        name: &'a str,
    },
    /// An element the content model does not mention whose name contains a `.`: a vendor
    /// extension such as `INTU.BID`. Not an error of order; validators usually warn or stay
    /// silent.
    Extension {
        /// Index of the child.
        index: usize,
        /// Its name.
        name: &'a str,
    },
}

impl ContentIssue<'_> {
    /// The child index the issue is about (for [`Missing`](Self::Missing): the child it
    /// belongs before).
    pub fn index(&self) -> usize {
        match *self {
            ContentIssue::Missing { before_index, .. } => before_index,
            ContentIssue::Unexpected { index, .. }
            | ContentIssue::OutOfOrder { index, .. }
            | ContentIssue::TooMany { index, .. }
            | ContentIssue::Extension { index, .. } => index,
        }
    }

    /// Is this a departure from the specification (everything but
    /// [`Extension`](Self::Extension))?
    pub fn is_error(&self) -> bool {
        !matches!(self, ContentIssue::Extension { .. })
    }

    /// Order of issues at the same index: a missing element reads before the child.
    fn rank(&self) -> u8 {
        u8::from(!matches!(self, ContentIssue::Missing { .. }))
    }
}

impl fmt::Display for ContentIssue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContentIssue::Missing { expected, before_index } => {
                write!(f, "missing {} before child {before_index}", expected.join(" or "))
            }
            ContentIssue::Unexpected { index, name } => {
                write!(f, "{name} (child {index}) is not allowed here")
            }
            ContentIssue::OutOfOrder { index, name, should_come_after, should_come_before } => {
                write!(f, "{name} (child {index}) is out of order")?;
                match (should_come_after, should_come_before) {
                    (Some(a), Some(b)) => write!(f, ": it belongs between children {a} and {b}"),
                    (Some(a), None) => write!(f, ": it belongs after child {a}"),
                    (None, Some(b)) => write!(f, ": it belongs before child {b}"),
                    (None, None) => Ok(()),
                }
            }
            ContentIssue::TooMany { index, name } => {
                write!(f, "{name} (child {index}) occurs more often than allowed")
            }
            ContentIssue::Extension { index, name } => {
                write!(f, "{name} (child {index}) is a vendor extension")
            }
        }
    }
}

/// State ids: 0 is the start state, 1.. the element occurrences.
type State = u32;
/// Index into an automaton's alphabet.
type Sym = u32;

/// The Glushkov automaton of one content model.
#[derive(Debug)]
pub(crate) struct Automaton {
    /// The model's element names, sorted.
    alphabet: Vec<&'static str>,
    /// Per state: the symbol of its occurrence (unused for the start state).
    labels: Vec<Sym>,
    /// Per state: the states that may follow, sorted.
    follow: Vec<Vec<State>>,
    /// Per state: `follow` keyed by symbol, sorted by (symbol, state).
    trans: Vec<Vec<(Sym, State)>>,
    /// Per state: may the children end here?
    finals: Vec<bool>,
    /// Per symbol: the states labelled with it.
    by_sym: Vec<Vec<State>>,
}

/// The owned tree the automaton is built from, after expansions.
enum Node {
    Elem(&'static str),
    Seq(Vec<Node>),
    Choice(Vec<Node>),
    Opt(Box<Node>),
    Star(Box<Node>),
    Plus(Box<Node>),
}

/// Converts a static particle, expanding bounded repetitions, small `&` groups, and (in the
/// SGML profiles) elements whose start and end tags are both omissible: such an element
/// (`GENTRN`, `ACCOUNT` in OFC) may appear either by its tags or as its bare content.
fn lower(profile: Profile, p: &'static Particle, depth: usize) -> Node {
    match *p {
        Particle::Elem(name) => {
            let transparent = depth < 8
                && profile.element(name).is_some_and(|d| {
                    d.minimization().is_some_and(|m| m.start_tag_omissible && m.end_tag_omissible)
                });
            match profile.element(name).and_then(ElementDef::content_model) {
                Some(model) if transparent => {
                    Node::Choice(vec![Node::Elem(name), lower(profile, model, depth + 1)])
                }
                _ => Node::Elem(name),
            }
        }
        Particle::Seq(items) => Node::Seq(items.iter().map(|i| lower(profile, i, depth)).collect()),
        Particle::Choice(items) => {
            Node::Choice(items.iter().map(|i| lower(profile, i, depth)).collect())
        }
        Particle::All(items) => {
            if items.len() <= MAX_ALL_PERMUTED {
                let mut orders = Vec::new();
                permutations(&mut (0..items.len()).collect::<Vec<_>>(), 0, &mut orders);
                Node::Choice(
                    orders
                        .into_iter()
                        .map(|order| {
                            Node::Seq(
                                order
                                    .into_iter()
                                    .filter_map(|i| items.get(i))
                                    .map(|i| lower(profile, i, depth))
                                    .collect(),
                            )
                        })
                        .collect(),
                )
            } else {
                let any = items.iter().map(|i| lower(profile, i, depth)).collect();
                Node::Star(Box::new(Node::Choice(any)))
            }
        }
        Particle::Opt(inner) => Node::Opt(Box::new(lower(profile, inner, depth))),
        Particle::Star(inner) => Node::Star(Box::new(lower(profile, inner, depth))),
        Particle::Plus(inner) => Node::Plus(Box::new(lower(profile, inner, depth))),
        Particle::Repeat { min, max, particle } => {
            let min = min.min(MAX_COPIES);
            let mut items: Vec<Node> = (0..min).map(|_| lower(profile, particle, depth)).collect();
            match max {
                Some(max) if max <= MAX_COPIES => {
                    // (p, (p, (p)?)?)? for the optional copies: deterministic.
                    let mut tail: Option<Node> = None;
                    for _ in min..max {
                        let copy = lower(profile, particle, depth);
                        let inner = match tail.take() {
                            Some(t) => Node::Seq(vec![copy, t]),
                            None => copy,
                        };
                        tail = Some(Node::Opt(Box::new(inner)));
                    }
                    items.extend(tail);
                }
                _ => items.push(Node::Star(Box::new(lower(profile, particle, depth)))),
            }
            Node::Seq(items)
        }
    }
}

/// All orders of `items[k..]`, by swapping.
fn permutations(items: &mut Vec<usize>, k: usize, out: &mut Vec<Vec<usize>>) {
    if k + 1 >= items.len() {
        out.push(items.clone());
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permutations(items, k + 1, out);
        items.swap(k, i);
    }
}

/// What the Glushkov construction knows about a subtree.
struct Summary {
    nullable: bool,
    first: Vec<State>,
    last: Vec<State>,
}

struct Builder {
    alphabet: Vec<&'static str>,
    labels: Vec<Sym>,
    follow: Vec<Vec<State>>,
}

impl Builder {
    fn sym(&self, name: &str) -> Sym {
        self.alphabet.binary_search(&name).map_or(0, |i| i as Sym)
    }

    fn add_follow(&mut self, from: &[State], to: &[State]) {
        for &p in from {
            if let Some(f) = self.follow.get_mut(p as usize) {
                f.extend_from_slice(to);
            }
        }
    }

    fn visit(&mut self, node: &Node) -> Summary {
        match node {
            Node::Elem(name) => {
                let state = self.labels.len() as State;
                self.labels.push(self.sym(name));
                self.follow.push(Vec::new());
                Summary { nullable: false, first: vec![state], last: vec![state] }
            }
            Node::Seq(items) => {
                let mut acc = Summary { nullable: true, first: Vec::new(), last: Vec::new() };
                for item in items {
                    let s = self.visit(item);
                    self.add_follow(&acc.last, &s.first);
                    if acc.nullable {
                        acc.first.extend_from_slice(&s.first);
                    }
                    if s.nullable {
                        acc.last.extend(s.last);
                    } else {
                        acc.last = s.last;
                    }
                    acc.nullable &= s.nullable;
                }
                acc
            }
            Node::Choice(items) => {
                let mut acc =
                    Summary { nullable: items.is_empty(), first: Vec::new(), last: Vec::new() };
                for item in items {
                    let s = self.visit(item);
                    acc.nullable |= s.nullable;
                    acc.first.extend(s.first);
                    acc.last.extend(s.last);
                }
                acc
            }
            Node::Opt(inner) => Summary { nullable: true, ..self.visit(inner) },
            Node::Star(inner) | Node::Plus(inner) => {
                let s = self.visit(inner);
                self.add_follow(&s.last, &s.first);
                Summary { nullable: s.nullable || matches!(node, Node::Star(_)), ..s }
            }
        }
    }
}

fn collect_names(node: &Node, out: &mut Vec<&'static str>) {
    match node {
        Node::Elem(name) => out.push(name),
        Node::Seq(items) | Node::Choice(items) => items.iter().for_each(|i| collect_names(i, out)),
        Node::Opt(inner) | Node::Star(inner) | Node::Plus(inner) => collect_names(inner, out),
    }
}

/// One step of an alignment.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// The child matched, moving to `state`.
    Match { child: usize, state: State },
    /// An element (`state`'s) is missing before child `before`, entered from `from`.
    Insert { before: usize, from: State, state: State },
    /// The child was skipped.
    Delete { child: usize, sym: Sym },
}

/// How a dynamic-programming cell got its cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Back {
    Unreached,
    Start,
    Match(State),
    Delete,
    Insert(State),
}

/// Alignment costs. High half: edits, where skipping a child costs two and inserting a
/// missing element one, so that moving a child (skip it here, insert it there: reported as
/// one issue) beats skipping two others. Low half: a tie-breaker that makes skipping a later
/// child cheaper than skipping an earlier one (the repeat is the second `CURDEF`; of two
/// swapped elements, the later one is out of place).
type Cost = u64;
const INF: Cost = Cost::MAX;
const UNIT: Cost = 1 << 32;
const SKIP: Cost = 2 * UNIT;
const INSERT: Cost = UNIT;

impl Automaton {
    /// Builds the automaton of `model`, read in `profile`.
    pub(crate) fn build(profile: Profile, model: &'static Particle) -> Self {
        let root = lower(profile, model, 0);
        let mut alphabet = Vec::new();
        collect_names(&root, &mut alphabet);
        alphabet.sort_unstable();
        alphabet.dedup();
        let mut builder = Builder { alphabet, labels: vec![0], follow: vec![Vec::new()] };
        let summary = builder.visit(&root);
        let Builder { alphabet, labels, mut follow } = builder;
        if let Some(start) = follow.first_mut() {
            *start = summary.first;
        }
        for f in &mut follow {
            f.sort_unstable();
            f.dedup();
        }
        let mut finals = vec![false; labels.len()];
        for &s in &summary.last {
            if let Some(f) = finals.get_mut(s as usize) {
                *f = true;
            }
        }
        if let Some(f) = finals.first_mut() {
            *f = summary.nullable;
        }
        let trans = follow
            .iter()
            .map(|f| {
                let mut t: Vec<(Sym, State)> =
                    f.iter().map(|&q| (labels.get(q as usize).copied().unwrap_or(0), q)).collect();
                t.sort_unstable();
                t
            })
            .collect();
        let mut by_sym = vec![Vec::new(); alphabet.len()];
        for (state, &sym) in labels.iter().enumerate().skip(1) {
            if let Some(v) = by_sym.get_mut(sym as usize) {
                v.push(state as State);
            }
        }
        Automaton { alphabet, labels, follow, trans, finals, by_sym }
    }

    fn sym(&self, name: &str) -> Option<Sym> {
        self.alphabet.binary_search(&name).ok().map(|i| i as Sym)
    }

    fn name(&self, sym: Sym) -> &'static str {
        self.alphabet.get(sym as usize).copied().unwrap_or_default()
    }

    fn label(&self, state: State) -> Sym {
        self.labels.get(state as usize).copied().unwrap_or(0)
    }

    fn follow(&self, state: State) -> &[State] {
        self.follow.get(state as usize).map_or(&[], Vec::as_slice)
    }

    fn is_final(&self, state: State) -> bool {
        self.finals.get(state as usize).copied().unwrap_or(false)
    }

    /// The states reached from `state` by a child with symbol `sym`.
    fn targets(&self, state: State, sym: Sym) -> impl Iterator<Item = State> + '_ {
        let t = self.trans.get(state as usize).map_or(&[][..], Vec::as_slice);
        let from = t.partition_point(|&(s, _)| s < sym);
        t.get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(move |&&(s, _)| s == sym)
            .map(|&(_, q)| q)
    }

    /// `next` = the states reached from any of `current` by `sym`.
    fn step(&self, current: &[State], sym: Sym, next: &mut Vec<State>) {
        next.clear();
        for &p in current {
            next.extend(self.targets(p, sym));
        }
        if current.len() > 1 {
            next.sort_unstable();
            next.dedup();
        }
    }

    /// Checks `children` against the model.
    pub(crate) fn check<'a>(&self, children: &[&'a str]) -> Vec<ContentIssue<'a>> {
        let mut issues = Vec::new();
        let mut current = vec![0];
        let mut next = Vec::new();
        let mut matched = true;
        for (index, &name) in children.iter().enumerate() {
            match self.sym(name) {
                None => issues.push(foreign(index, name)),
                Some(sym) if matched => {
                    self.step(&current, sym, &mut next);
                    if next.is_empty() {
                        matched = false;
                    } else {
                        std::mem::swap(&mut current, &mut next);
                    }
                }
                Some(_) => {}
            }
        }
        if matched && current.iter().any(|&s| self.is_final(s)) {
            return issues;
        }
        let syms: Vec<(usize, Sym)> = children
            .iter()
            .enumerate()
            .filter_map(|(i, name)| self.sym(name).map(|s| (i, s)))
            .collect();
        let path = self.align(&syms, children.len());
        self.classify(&path, children, &mut issues);
        issues.sort_by_key(|i| (i.index(), i.rank()));
        issues
    }

    /// Aligns the in-alphabet children with the model: single-pass matching, and a repair
    /// window wherever it fails.
    fn align(&self, syms: &[(usize, Sym)], end: usize) -> Vec<Step> {
        let mut path = Vec::with_capacity(syms.len() + 4);
        let mut current = vec![0];
        let mut next = Vec::new();
        // The state sets before the last BACKOFF + 1 children, by child position.
        let mut ring: Vec<Vec<State>> = vec![Vec::new(); BACKOFF + 1];
        // Repairs never reach back before the end of the previous one.
        let mut floor = 0;
        let mut t = 0;
        while let Some(&(child, sym)) = syms.get(t) {
            if let Some(slot) = ring.get_mut(t % (BACKOFF + 1)) {
                slot.clone_from(&current);
            }
            self.step(&current, sym, &mut next);
            if let Some(&state) = next.first() {
                path.push(Step::Match { child, state });
                std::mem::swap(&mut current, &mut next);
                t += 1;
                continue;
            }
            // The misplaced child may be one the single pass already accepted (an element
            // that belongs later, read early): re-align from a few children back.
            let from = t.saturating_sub(BACKOFF).max(floor);
            path.truncate(path.len() - (t - from));
            let start = ring.get(from % (BACKOFF + 1)).cloned().unwrap_or_else(|| current.clone());
            let stop = (t + WINDOW).min(syms.len());
            let window = syms.get(from..stop).unwrap_or_default();
            let (state, used) =
                self.repair(&start, window, t - from, stop == syms.len(), end, &mut path);
            current = vec![state];
            t = from + used.max(t - from + 1);
            floor = t;
        }
        if !current.iter().any(|&s| self.is_final(s)) {
            self.repair(&current, &[], 0, true, end, &mut path);
        }
        path
    }

    /// The fewest-edits alignment of `window` from the states `start`; appends its steps to
    /// `path` and returns the state it ends in and the number of children aligned. With
    /// `last`, the alignment must end in a final state (missing trailing elements are
    /// inserted before `end`); otherwise it may stop early, once past `window[failed]`, where
    /// the alignment is back in step.
    fn repair(
        &self,
        start: &[State],
        mut window: &[(usize, Sym)],
        failed: usize,
        last: bool,
        end: usize,
        path: &mut Vec<Step>,
    ) -> (State, usize) {
        let n = self.labels.len();
        let columns = window.len() + 1;
        let mut back = vec![Back::Unreached; columns * n];
        let mut cost: Vec<Cost> = vec![INF; n];
        for &s in start {
            if let (Some(c), Some(b)) = (cost.get_mut(s as usize), back.get_mut(s as usize)) {
                *c = 0;
                *b = Back::Start;
            }
        }
        if !window.is_empty() || last {
            self.close(&mut cost, back.get_mut(..n).unwrap_or_default());
        }
        for (t, &(_, sym)) in window.iter().enumerate() {
            let column = back.get_mut((t + 1) * n..(t + 2) * n).unwrap_or_default();
            let mut new: Vec<Cost> = vec![INF; n];
            let skip = SKIP + (window.len() - t) as Cost;
            // Skipping the child first: on a tie, the earlier children keep their match and
            // the later one is the extra.
            for (p, &c) in cost.iter().enumerate() {
                if let (Some(np), Some(bp)) = (new.get_mut(p), column.get_mut(p))
                    && c != INF
                    && c + skip < *np
                {
                    *np = c + skip;
                    *bp = Back::Delete;
                }
            }
            for (p, &c) in cost.iter().enumerate() {
                if c == INF {
                    continue;
                }
                for q in self.targets(p as State, sym) {
                    if let (Some(nq), Some(bq)) =
                        (new.get_mut(q as usize), column.get_mut(q as usize))
                        && c < *nq
                    {
                        *nq = c;
                        *bq = Back::Match(p as State);
                    }
                }
            }
            cost = new;
            if t + 1 < window.len() || last {
                self.close(&mut cost, column);
            }
            // Back in step: one state is the cheapest by a margin, reached by matching this
            // child. Commit here rather than align the whole window.
            if !last && t > failed && t + 1 < window.len() && settled(&cost, column) {
                window = window.get(..t + 1).unwrap_or_default();
                break;
            }
        }

        // The best end state: final if this is the end; else the cheapest, preferring one
        // reached by a match.
        let column = back.get(window.len() * n..).unwrap_or_default();
        let mut best: Option<(Cost, bool, State)> = None;
        for (q, &c) in cost.iter().enumerate() {
            if c == INF || (last && !self.is_final(q as State)) {
                continue;
            }
            let by_match = matches!(column.get(q), Some(Back::Match(_)));
            let better = match best {
                None => true,
                Some((bc, bm, _)) => c < bc || (c == bc && by_match && !bm),
            };
            if better {
                best = Some((c, by_match, q as State));
            }
        }
        let Some((_, _, end_state)) = best else {
            // Unreachable for a model built by `build` (every state reaches a final one);
            // stay put rather than fail.
            return (start.first().copied().unwrap_or(0), window.len());
        };

        // Trace back.
        let mut steps = Vec::new();
        let (mut t, mut q) = (window.len(), end_state);
        for _ in 0..columns * n + columns {
            let before = window.get(t).map_or(end, |&(child, _)| child);
            match back.get(t * n + q as usize).copied().unwrap_or(Back::Unreached) {
                Back::Start | Back::Unreached => break,
                Back::Insert(p) => {
                    steps.push(Step::Insert { before, from: p, state: q });
                    q = p;
                }
                Back::Match(p) => {
                    if let Some(&(child, _)) = window.get(t.wrapping_sub(1)) {
                        steps.push(Step::Match { child, state: q });
                    }
                    q = p;
                    t = t.saturating_sub(1);
                }
                Back::Delete => {
                    if let Some(&(child, sym)) = window.get(t.wrapping_sub(1)) {
                        steps.push(Step::Delete { child, sym });
                    }
                    t = t.saturating_sub(1);
                }
            }
        }
        path.extend(steps.into_iter().rev());
        (end_state, window.len())
    }

    /// Insertion closure of one column: cheapest ways to reach each state by inserting
    /// missing elements (one edit each), Dijkstra over the follow edges.
    fn close(&self, cost: &mut [Cost], back: &mut [Back]) {
        let mut heap: BinaryHeap<Reverse<(Cost, State)>> = cost
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c != INF)
            .map(|(s, &c)| Reverse((c, s as State)))
            .collect();
        while let Some(Reverse((c, p))) = heap.pop() {
            if cost.get(p as usize).is_some_and(|&cp| c > cp) {
                continue;
            }
            for &q in self.follow(p) {
                if let (Some(cq), Some(bq)) = (cost.get_mut(q as usize), back.get_mut(q as usize))
                    && c + INSERT < *cq
                {
                    *cq = c + INSERT;
                    *bq = Back::Insert(p);
                    heap.push(Reverse((c + INSERT, q)));
                }
            }
        }
    }

    /// The names that would fill an inserted slot, in model order.
    ///
    /// The first insertion of a run (entered from a matched state) lists every occurrence
    /// that may follow `from` and leads to `target` (the next matched state; `None`: the
    /// end) without passing through the chosen element: `USERKEY` or `USERID` in `SONRQ`, but
    /// not the optional `DTUSER` before a missing `TRNAMT`. Later insertions of a run list the
    /// occurrences that may follow `from` and lead to the same places as the chosen one.
    fn expected(
        &self,
        from: State,
        state: State,
        target: Option<Option<State>>,
    ) -> Vec<&'static str> {
        let mut states: Vec<State> = vec![state];
        for &q in self.follow(from) {
            let alternative = match target {
                Some(target) => self.reaches_avoiding(q, target, state),
                None => {
                    self.follow(q) == self.follow(state) && self.is_final(q) == self.is_final(state)
                }
            };
            if q != state && alternative {
                states.push(q);
            }
        }
        states.sort_unstable();
        let mut names: Vec<&'static str> = Vec::new();
        for q in states {
            let name = self.name(self.label(q));
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    /// Does a path from `q` reach `target` (a state, or `None` for any final state) without
    /// entering an occurrence of `avoid`'s element?
    fn reaches_avoiding(&self, q: State, target: Option<State>, avoid: State) -> bool {
        let avoid = self.label(avoid);
        let arrived = |s: State| match target {
            Some(t) => self.follow(s).binary_search(&t).is_ok(),
            None => self.is_final(s),
        };
        let mut seen = vec![false; self.labels.len()];
        let mut stack = vec![q];
        while let Some(s) = stack.pop() {
            if std::mem::replace(seen.get_mut(s as usize).unwrap_or(&mut true), true) {
                continue;
            }
            if arrived(s) {
                return true;
            }
            stack.extend(self.follow(s).iter().copied().filter(|&n| self.label(n) != avoid));
        }
        false
    }

    /// Turns the edits of an alignment into issues.
    fn classify<'a>(
        &self,
        path: &[Step],
        children: &[&'a str],
        issues: &mut Vec<ContentIssue<'a>>,
    ) {
        let name_of = |child: usize| children.get(child).copied().unwrap_or_default();
        // Nearest matched child at or before / at or after each path step.
        let mut match_before = Vec::with_capacity(path.len());
        let mut last = None;
        for step in path {
            if let Step::Match { child, .. } = *step {
                last = Some(child);
            }
            match_before.push(last);
        }
        let mut match_after = vec![None; path.len()];
        let mut next = None;
        for (k, step) in path.iter().enumerate().rev() {
            if let Step::Match { child, .. } = *step {
                next = Some(child);
            }
            if let Some(slot) = match_after.get_mut(k) {
                *slot = next;
            }
        }
        let before_of =
            |k: usize| if k == 0 { None } else { match_before.get(k - 1).copied().flatten() };
        let after_of = |k: usize| match_after.get(k + 1).copied().flatten();

        // Insertions, with the names that would fill them.
        // A run of insertions: the first one's target is the next matched state.
        let mut inserts: Vec<(usize, usize, Vec<&'static str>)> = Vec::new();
        let mut memo: HashMap<(State, State, Option<State>), Vec<&'static str>> = HashMap::new();
        let mut in_run = false;
        for (k, step) in path.iter().enumerate() {
            match *step {
                Step::Insert { before, from, state } => {
                    let target = if in_run {
                        None
                    } else {
                        let next =
                            path.get(k + 1..).unwrap_or_default().iter().find_map(|s| match *s {
                                Step::Match { state, .. } => Some(Some(state)),
                                Step::Insert { .. } | Step::Delete { .. } => None,
                            });
                        Some(next.flatten())
                    };
                    let expected = match target {
                        Some(t) => memo
                            .entry((from, state, t))
                            .or_insert_with(|| self.expected(from, state, Some(t)))
                            .clone(),
                        None => self.expected(from, state, None),
                    };
                    inserts.push((k, before, expected));
                    in_run = true;
                }
                Step::Match { .. } => in_run = false,
                Step::Delete { .. } => {}
            }
        }
        let mut absorbed = vec![false; inserts.len()];
        // Per expected name: the insertions not yet explained by a moved child.
        let mut waiting: HashMap<&'static str, BTreeSet<usize>> = HashMap::new();
        for (j, (_, _, expected)) in inserts.iter().enumerate() {
            for &n in expected {
                waiting.entry(n).or_default().insert(j);
            }
        }

        // The spine: start, then the states of matches and insertions (path index, state).
        let mut spine: Vec<(usize, State)> = vec![(0, 0)];
        for (k, s) in path.iter().enumerate() {
            match *s {
                Step::Match { state, .. } | Step::Insert { state, .. } => spine.push((k, state)),
                Step::Delete { .. } => {}
            }
        }

        for (k, step) in path.iter().enumerate() {
            let Step::Delete { child, sym } = *step else { continue };
            let name = name_of(child);
            let sym_name = self.name(sym);
            // An insertion of this name: the child moved there.
            if let Some(j) = nearest(&waiting, sym_name, &inserts, k) {
                if let Some((ki, _, expected)) = inserts.get(j) {
                    for n in expected {
                        if let Some(set) = waiting.get_mut(n) {
                            set.remove(&j);
                        }
                    }
                    if let Some(a) = absorbed.get_mut(j) {
                        *a = true;
                    }
                    issues.push(ContentIssue::OutOfOrder {
                        index: child,
                        name,
                        should_come_after: before_of(*ki),
                        should_come_before: after_of(*ki),
                    });
                }
                continue;
            }
            // Another gap of the path where it fits.
            match self.gap_for(sym, k, &spine) {
                Some((after_k, before_k)) => issues.push(ContentIssue::OutOfOrder {
                    index: child,
                    name,
                    should_come_after: after_k
                        .and_then(|ka| match_before.get(ka).copied().flatten()),
                    should_come_before: before_k
                        .and_then(|kb| match_after.get(kb).copied().flatten()),
                }),
                None => issues.push(ContentIssue::TooMany { index: child, name }),
            }
        }
        for ((_, before, expected), absorbed) in inserts.into_iter().zip(absorbed) {
            if !absorbed {
                issues.push(ContentIssue::Missing { expected, before_index: before });
            }
        }
    }

    /// The gap of the spine nearest to path step `k` where an element `sym` could stand:
    /// (path index of the step before the gap, path index of the step after it), each
    /// `None` at the start or the end.
    fn gap_for(
        &self,
        sym: Sym,
        k: usize,
        spine: &[(usize, State)],
    ) -> Option<(Option<usize>, Option<usize>)> {
        let candidates = self.by_sym.get(sym as usize)?;
        let fits = |j: usize| -> bool {
            let Some(&(_, a)) = spine.get(j) else { return false };
            let b = spine.get(j + 1).map(|&(_, b)| b);
            candidates.iter().any(|&q| {
                self.follow(a).binary_search(&q).is_ok()
                    && match b {
                        Some(b) => self.follow(q).binary_search(&b).is_ok(),
                        None => self.is_final(q),
                    }
            })
        };
        // The spine entry just before step k, then outwards.
        let center = spine.partition_point(|&(ks, _)| ks < k).saturating_sub(1);
        for d in 0..=REACH {
            for j in [center.checked_sub(d), center.checked_add(d).filter(|_| d > 0)]
                .into_iter()
                .flatten()
            {
                if j < spine.len() && fits(j) {
                    let after = if j == 0 { None } else { spine.get(j).map(|&(ks, _)| ks) };
                    let before = spine.get(j + 1).map(|&(ks, _)| ks);
                    return Some((after, before));
                }
            }
        }
        None
    }
}

/// The waiting insertion expecting `name` nearest to path step `k`.
fn nearest(
    waiting: &HashMap<&'static str, BTreeSet<usize>>,
    name: &str,
    inserts: &[(usize, usize, Vec<&'static str>)],
    k: usize,
) -> Option<usize> {
    let set = waiting.get(name)?;
    let split = inserts.partition_point(|&(ki, ..)| ki <= k);
    let below = set.range(..split).next_back().copied();
    let above = set.range(split..).next().copied();
    let distance = |j: usize| inserts.get(j).map_or(usize::MAX, |&(ki, ..)| ki.abs_diff(k));
    match (below, above) {
        (Some(b), Some(a)) => Some(if distance(a) < distance(b) { a } else { b }),
        (b, a) => b.or(a),
    }
}

/// Is one state the cheapest by a margin, and reached by a match?
fn settled(cost: &[Cost], column: &[Back]) -> bool {
    let mut best = INF;
    let mut second = INF;
    let mut best_state = 0;
    for (q, &c) in cost.iter().enumerate() {
        if c < best {
            second = best;
            best = c;
            best_state = q;
        } else if c < second {
            second = c;
        }
    }
    best != INF
        && second / UNIT > best / UNIT
        && matches!(column.get(best_state), Some(Back::Match(_)))
}

/// A child whose name the model does not mention.
fn foreign(index: usize, name: &str) -> ContentIssue<'_> {
    if name.contains('.') {
        ContentIssue::Extension { index, name }
    } else {
        ContentIssue::Unexpected { index, name }
    }
}

/// Checks `children` against `def`'s content (`automaton`: its content model's).
pub(crate) fn check<'a>(
    def: &ElementDef,
    automaton: Option<&Automaton>,
    children: &[&'a str],
) -> Vec<ContentIssue<'a>> {
    match (def.content(), automaton) {
        // A leaf in some parents: with no children it is that leaf.
        (Content::TextOrElements { .. }, _) if children.is_empty() => Vec::new(),
        (Content::Elements(_) | Content::TextOrElements { .. }, Some(automaton)) => {
            automaton.check(children)
        }
        _ => children.iter().enumerate().map(|(i, name)| foreign(i, name)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check_children;

    /// One issue, compactly: `missing A|B@3`, `unexpected X@1`, `order X@4 1..2` (belongs
    /// after child 1, before child 2; `-` for none), `too-many X@2`, `extension X.Y@0`.
    fn brief(issue: &ContentIssue<'_>) -> String {
        let opt = |i: &Option<usize>| i.map_or("-".to_owned(), |i| i.to_string());
        match issue {
            ContentIssue::Missing { expected, before_index } => {
                format!("missing {}@{before_index}", expected.join("|"))
            }
            ContentIssue::Unexpected { index, name } => format!("unexpected {name}@{index}"),
            ContentIssue::OutOfOrder {
                index,
                name,
                should_come_after: a,
                should_come_before: b,
            } => {
                format!("order {name}@{index} {}..{}", opt(a), opt(b))
            }
            ContentIssue::TooMany { index, name } => format!("too-many {name}@{index}"),
            ContentIssue::Extension { index, name } => format!("extension {name}@{index}"),
        }
    }

    use Profile::{Ofc, Ofx160, Ofx201, Ofx220};

    /// (profile, parent, children separated by spaces, expected issues).
    const CASES: &[(Profile, &str, &str, &[&str])] = &[
        // Valid lists.
        (Ofx160, "STMTRS", "CURDEF BANKACCTFROM LEDGERBAL", &[]),
        (Ofx160, "STMTRS", "CURDEF BANKACCTFROM BANKTRANLIST LEDGERBAL AVAILBAL MKTGINFO", &[]),
        (Ofx160, "STMTTRN", "TRNTYPE DTPOSTED TRNAMT FITID NAME MEMO", &[]),
        (Ofx160, "STMTTRNRS", "TRNUID STATUS STMTRS", &[]),
        (Ofx160, "INTRASYNCRQ", "TOKEN2 REJECTIFMISSING BANKACCTFROM", &[]),
        (Ofx160, "BANKMSGSRSV1", "STMTTRNRS STMTENDTRNRS STMTTRNRS", &[]),
        (Ofx160, "MSGSETLIST", "SIGNONMSGSET BANKMSGSET PROFMSGSET EMAILMSGSET", &[]),
        (Ofx160, "MSGSETLIST", "BANKMSGSET PROFMSGSET SIGNONMSGSET", &[]),
        (Ofx201, "SONRQ", "DTCLIENT USERKEY LANGUAGE APPID APPVER", &[]),
        (Ofx220, "STMTTRN", "TRNTYPE DTPOSTED TRNAMT FITID NAME EXTDNAME IMAGEDATA IMAGEDATA", &[]),
        (Ofx220, "STMTRS", "CURDEF BANKACCTFROM BANKTRANLIST BANKTRANLISTP LEDGERBAL", &[]),
        (Ofc, "STMTRS", "DTSTART DTEND LEDGER STMTTRN STMTTRN", &[]),
        // OFC's `o o` elements: by their tags or as their bare content.
        (Ofc, "STMTTRN", "TRNTYPE DTPOSTED TRNAMT FITID NAME MEMO MEMO", &[]),
        (Ofc, "STMTTRN", "GENTRN", &[]),
        (Ofc, "ACCTFROM", "BANKID ACCTID ACCTTYPE", &[]),
        (Ofc, "PAYEE", "NAME ADDRESS ADDRESS CITY STATE POSTALID PHONE", &[]),
        // A leaf in some parents, an aggregate in others.
        (Ofx220, "LOANRATE", "", &[]),
        (Ofx220, "LOANRATE", "LOANINTRATE RATETYPE DTASOF", &[]),
        // Unknown parents are the caller's business.
        (Ofx160, "NOSUCH", "A B", &[]),
        // Missing required children.
        (Ofx160, "STMTRS", "CURDEF LEDGERBAL", &["missing BANKACCTFROM@1"]),
        (Ofx160, "STMTRS", "CURDEF BANKACCTFROM", &["missing LEDGERBAL@2"]),
        (
            Ofx160,
            "STMTRS",
            "",
            &["missing CURDEF@0", "missing BANKACCTFROM@0", "missing LEDGERBAL@0"],
        ),
        (Ofx160, "STMTTRNRS", "STATUS STMTRS", &["missing TRNUID@0"]),
        (
            Ofx160,
            "INTRASYNCRQ",
            "REJECTIFMISSING BANKACCTFROM",
            &["missing TOKEN|TOKEN2|TOKENONLY|REFRESH@0"],
        ),
        (Ofx160, "SONRQ", "DTCLIENT LANGUAGE APPID APPVER", &["missing USERID|USERKEY@1"]),
        (Ofx160, "OFX", "BANKMSGSRSV1", &["missing SIGNONMSGSRSV1|SIGNONMSGSRSV2@0"]),
        (
            Ofx160,
            "OFX",
            "",
            &["missing SIGNONMSGSRQV1|SIGNONMSGSRQV2|SIGNONMSGSRSV1|SIGNONMSGSRSV2@0"],
        ),
        (Ofx160, "STMTTRN", "TRNTYPE DTPOSTED FITID", &["missing TRNAMT@2"]),
        (Ofc, "STMTRS", "DTSTART DTEND STMTTRN", &["missing LEDGER@2"]),
        // Out of order: one issue per misplaced element, the rest matches.
        (Ofx160, "STMTRS", "BANKACCTFROM CURDEF LEDGERBAL", &["order CURDEF@1 -..0"]),
        (
            Ofx160,
            "STMTRS",
            "CURDEF BANKACCTFROM LEDGERBAL BANKTRANLIST",
            &["order BANKTRANLIST@3 1..2"],
        ),
        (Ofx160, "STMTTRN", "TRNTYPE TRNAMT DTPOSTED FITID", &["order DTPOSTED@2 0..1"]),
        (Ofx160, "STMTTRN", "DTPOSTED TRNAMT FITID NAME MEMO TRNTYPE", &["order TRNTYPE@5 -..0"]),
        (Ofx160, "STMTTRN", "TRNTYPE DTPOSTED TRNAMT FITID MEMO NAME", &["order NAME@5 3..4"]),
        (Ofx160, "STMTTRN", "TRNTYPE FITID DTPOSTED TRNAMT MEMO", &["order FITID@1 3..4"]),
        (Ofx160, "OFX", "BANKMSGSRSV1 SIGNONMSGSRSV1", &["order BANKMSGSRSV1@0 1..-"]),
        (Ofc, "STMTRS", "DTSTART LEDGER DTEND STMTTRN STMTTRN", &["order DTEND@2 0..1"]),
        // Too many.
        (Ofx160, "STMTRS", "CURDEF CURDEF BANKACCTFROM LEDGERBAL", &["too-many CURDEF@1"]),
        (
            Ofx160,
            "STMTRS",
            "CURDEF BANKACCTFROM LEDGERBAL AVAILBAL AVAILBAL",
            &["too-many AVAILBAL@4"],
        ),
        (Ofx160, "STMTTRN", "TRNTYPE DTPOSTED TRNAMT FITID NAME PAYEE MEMO", &["too-many PAYEE@5"]),
        (
            Ofx220,
            "STMTTRN",
            "TRNTYPE DTPOSTED TRNAMT FITID IMAGEDATA IMAGEDATA IMAGEDATA",
            &["too-many IMAGEDATA@6"],
        ),
        (Ofc, "STMTTRN", "GENTRN TRNTYPE", &["too-many TRNTYPE@1"]),
        // Unknown children and extensions.
        (Ofx160, "STMTRS", "CURDEF BANKACCTFROM FOO LEDGERBAL", &["unexpected FOO@2"]),
        (Ofx160, "STMTRS", "CURDEF BANKACCTFROM STMTTRN LEDGERBAL", &["unexpected STMTTRN@2"]),
        (
            Ofx160,
            "SONRS",
            "STATUS DTSERVER LANGUAGE FI INTU.BID INTU.USERID",
            &["extension INTU.BID@4", "extension INTU.USERID@5"],
        ),
        (
            Ofx160,
            "SONRS",
            "INTU.BID DTSERVER LANGUAGE",
            &["extension INTU.BID@0", "missing STATUS@1"],
        ),
        (Ofx160, "TRNAMT", "A INTU.B", &["unexpected A@0", "extension INTU.B@1"]),
        // Several independent errors.
        (
            Ofx160,
            "STMTRS",
            "CURDEF CURDEF BANKACCTFROM X LEDGERBAL AVAILBAL AVAILBAL",
            &["too-many CURDEF@1", "unexpected X@3", "too-many AVAILBAL@6"],
        ),
        (Ofx160, "BANKTRANLIST", "DTSTART STMTTRN DTEND STMTTRN", &["order STMTTRN@1 2..3"]),
    ];

    fn run(profile: Profile, parent: &str, children: &[&str]) -> Vec<String> {
        check_children(profile, parent, children).iter().map(brief).collect()
    }

    #[test]
    fn cases() {
        let mut failures = Vec::new();
        for &(profile, parent, children, expected) in CASES {
            let children: Vec<&str> = children.split_whitespace().collect();
            let got = run(profile, parent, &children);
            if got != expected {
                failures.push(format!(
                    "{profile} {parent} {children:?}\n   got {got:?}\n  want {expected:?}"
                ));
            }
            // The same through the method, and with an extension in front: every index
            // shifts by one and nothing else changes.
            assert_eq!(
                profile.check_children(parent, &children),
                check_children(profile, parent, &children)
            );
            if profile.element(parent).is_some() && !children.is_empty() {
                let mut shifted = vec!["X.EXT"];
                shifted.extend(&children);
                let issues = check_children(profile, parent, &shifted);
                assert_eq!(
                    issues.first(),
                    Some(&ContentIssue::Extension { index: 0, name: "X.EXT" })
                );
                let got: Vec<String> =
                    issues.iter().skip(1).map(|i| brief(&shift_back(i))).collect();
                assert_eq!(got, expected, "{profile} {parent} {shifted:?}");
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Forms the specifications do not use (yet): `&` groups and bounded repetitions.
    #[test]
    fn and_groups_and_bounded_repetitions() {
        use Particle::{All, Elem, Opt, Repeat, Seq};
        static AND: Particle = Seq(&[Elem("A"), All(&[Elem("B"), Opt(&Elem("C")), Elem("D")])]);
        static REP: Particle = Repeat { min: 1, max: Some(3), particle: &Elem("X") };
        static BIG_AND: Particle =
            All(&[Elem("A"), Elem("B"), Elem("C"), Elem("D"), Elem("E"), Elem("F")]);
        let cases: &[(&'static Particle, &str, &[&str])] = &[
            (&AND, "A B C D", &[]),
            (&AND, "A D C B", &[]),
            (&AND, "A D B", &[]),
            (&AND, "A C D", &["missing B@3"]), // any place in the group will do
            (&AND, "A B D B", &["too-many B@3"]),
            (&AND, "B A D", &["order A@1 -..0"]),
            (&REP, "X", &[]),
            (&REP, "X X X", &[]),
            (&REP, "", &["missing X@0"]),
            (&REP, "X X X X", &["too-many X@3"]),
            // Six members: read leniently, any order and count.
            (&BIG_AND, "F E D C B A A", &[]),
        ];
        for &(model, children, expected) in cases {
            let automaton = Automaton::build(Profile::Ofx201, model);
            let children: Vec<&str> = children.split_whitespace().collect();
            let got: Vec<String> = automaton.check(&children).iter().map(brief).collect();
            assert_eq!(got, expected, "{model} {children:?}");
        }
    }

    /// The issue with indices shifted down by one (for a list with one child prepended).
    fn shift_back<'a>(issue: &ContentIssue<'a>) -> ContentIssue<'a> {
        let dec = |i: usize| i.saturating_sub(1);
        match issue.clone() {
            ContentIssue::Missing { expected, before_index } => {
                ContentIssue::Missing { expected, before_index: dec(before_index) }
            }
            ContentIssue::Unexpected { index, name } => {
                ContentIssue::Unexpected { index: dec(index), name }
            }
            ContentIssue::OutOfOrder { index, name, should_come_after, should_come_before } => {
                ContentIssue::OutOfOrder {
                    index: dec(index),
                    name,
                    should_come_after: should_come_after.map(dec),
                    should_come_before: should_come_before.map(dec),
                }
            }
            ContentIssue::TooMany { index, name } => {
                ContentIssue::TooMany { index: dec(index), name }
            }
            ContentIssue::Extension { index, name } => {
                ContentIssue::Extension { index: dec(index), name }
            }
        }
    }
}
