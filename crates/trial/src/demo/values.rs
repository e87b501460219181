//! Building blocks of the demo generators: a deterministic random number generator, visit
//! values on their instruments' scales, and the scoring engine run on them.

use crate::scoring::{score_subject, ScoreOptions, ScoreRecord};
use crate::visits::VisitRow;
use myotrial_measures::{Dec, Enzyme, MmtVersion};
pub use myotrial_response::tis::Category;
use std::fmt::Write;

/// SplitMix64: small, fast, and the same sequence on every platform. Only integer arithmetic
/// and exact float operations are used on its output, so bundles are identical everywhere.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Uniform integer in lo..=hi.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }

    /// Approximately standard normal (Irwin–Hall: the sum of 12 uniforms − 6), with additions only.
    pub fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.uniform()).sum::<f64>() - 6.0
    }

    /// A random permutation of 0..n.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// The visit values of one assessment, on the instruments' own grids: VAS in tenths of a cm,
/// HAQ in eighths (its item scores give multiples of 1/8), MMT and CDASI whole numbers, CK in U/L.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Vals {
    pub pga: i64,
    pub ptga: i64,
    pub extra: i64,
    pub mmt: i64,
    pub haq: i64,
    pub ck: i64,
    pub cdasi_a: Option<i64>,
    pub cdasi_d: Option<i64>,
}

pub const CK_ULN: i64 = 200;

/// How much each core set row improves, as a share of the subject's overall improvement `f`:
/// the percentage improvement of row r is `f × SCALE[r] × mult[r]`.
const SCALE: [f64; 6] = [40.0, 35.0, 18.0, 25.0, 50.0, 35.0];

impl Vals {
    /// Baseline values of an adult with active dermatomyositis (ProDERM entry: MMT-8 < 142/150
    /// and other abnormal core set measures).
    pub fn baseline(rng: &mut Rng, mmt_max: i64) -> Vals {
        let mmt = if mmt_max == 150 { rng.int(95, 140) } else { rng.int(50, 72) };
        Vals {
            pga: rng.int(40, 80),
            ptga: rng.int(35, 85),
            extra: rng.int(30, 70),
            mmt,
            haq: rng.int(6, 16),
            ck: rng.int(300, 3000),
            cdasi_a: Some(rng.int(10, 40)),
            cdasi_d: Some(rng.int(2, 12)),
        }
    }

    /// Values improved by `f` (0 = unchanged) with per-row multipliers; never worse than `self`.
    pub fn improved(&self, f: f64, mult: &[f64; 6], mmt_max: i64) -> Vals {
        let p = |r: usize| (f * SCALE[r] * mult[r]).clamp(0.0, 100.0);
        // Lower-is-better: value − p% of the range (VAS 10 cm = 100 tenths, HAQ 3 = 24 eighths).
        let down = |v: i64, range: f64, r: usize| (v as f64 - p(r) / 100.0 * range).round().max(0.0) as i64;
        Vals {
            pga: down(self.pga, 100.0, 0).min(self.pga),
            ptga: down(self.ptga, 100.0, 1).min(self.ptga),
            mmt: ((self.mmt as f64 + p(2) / 100.0 * mmt_max as f64).round() as i64).clamp(self.mmt, mmt_max),
            haq: down(self.haq, 24.0, 3).min(self.haq),
            // Relative change of the enzyme (the default enzyme rule).
            ck: ((self.ck as f64 * (1.0 - p(4) / 100.0)).round() as i64).clamp(1, self.ck),
            extra: down(self.extra, 100.0, 5).min(self.extra),
            cdasi_a: self.cdasi_a,
            cdasi_d: self.cdasi_d,
        }
    }

    /// A visit that meets deterioration criterion (b): extramuscular VAS worse by 2.5 cm.
    pub fn deteriorated(&self) -> Vals {
        Vals { extra: (self.extra + 25).min(100), ..*self }
    }

    pub fn row(&self, week: u32, mmt_max: i64) -> VisitRow {
        let mut r = VisitRow {
            line: 0,
            week,
            pga: Some(tenths(self.pga)),
            ptga: Some(tenths(self.ptga)),
            extramuscular: Some(tenths(self.extra)),
            mmt: Some(self.mmt as u32),
            mmt_max: MmtVersion::from_max(mmt_max as u32),
            haq: Some(Dec::from_raw(self.haq * Dec::SCALE / 8)),
            cdasi_activity: self.cdasi_a.map(|v| v as u32),
            cdasi_damage: self.cdasi_d.map(|v| v as u32),
            ..VisitRow::default()
        };
        r.enzymes[Enzyme::Ck.index()] = Some(Dec::from(self.ck as u32));
        r.ulns[Enzyme::Ck.index()] = Some(Dec::from(CK_ULN as u32));
        r
    }
}

fn tenths(v: i64) -> Dec {
    Dec::from_raw(v * (Dec::SCALE / 10))
}

/// The header of the demo visits files.
pub const VISITS_HEADER: &str =
    "subject,week,pga,ptga,extramuscular,mmt,mmt_max,haq,ck,ck_uln,cdasi_activity,cdasi_damage\n";

/// Append one visits.csv line.
pub fn push_visit(out: &mut String, subject: &str, week: u32, v: &Vals, mmt_max: i64) {
    let opt = |x: Option<i64>| x.map_or_else(String::new, |v| v.to_string());
    let _ = writeln!(
        out,
        "{subject},{week},{},{},{},{},{mmt_max},{},{},{CK_ULN},{},{}",
        fmt_tenths(v.pga),
        fmt_tenths(v.ptga),
        fmt_tenths(v.extra),
        v.mmt,
        Dec::from_raw(v.haq * Dec::SCALE / 8),
        v.ck,
        opt(v.cdasi_a),
        opt(v.cdasi_d),
    );
}

fn fmt_tenths(v: i64) -> String {
    format!("{}.{}", v / 10, v % 10)
}

/// Score a subject's visits (week, values) with the default adult settings.
pub fn score(visits: &[(u32, Vals)], mmt_max: i64) -> Vec<ScoreRecord> {
    let rows: Vec<VisitRow> = visits.iter().map(|(w, v)| v.row(*w, mmt_max)).collect();
    score_subject(&rows, &ScoreOptions::default())
}

/// TIS at `week` (None when not computable or absent).
pub fn tis_at(records: &[ScoreRecord], week: u32) -> Option<f64> {
    records.iter().find(|r| r.week == week)?.tis_x2.map(|x| f64::from(x) / 2.0)
}

/// Whether any confirmed deterioration occurs.
pub fn confirmed(records: &[ScoreRecord]) -> Option<u32> {
    records.iter().find(|r| r.confirmed_deterioration == Some(true)).map(|r| r.week)
}

/// Per-row multipliers of a subject (how its improvement spreads over the rows).
pub fn multipliers(rng: &mut Rng) -> [f64; 6] {
    std::array::from_fn(|_| rng.range(0.7, 1.3))
}

/// The adult TIS band a category asks for: [lo, hi).
pub fn band(category: Category) -> (f64, f64) {
    match category {
        Category::None => (0.0, 20.0),
        Category::Minimal => (20.0, 40.0),
        Category::Moderate => (40.0, 60.0),
        Category::Major => (60.0, 100.1),
    }
}

/// Range of the overall improvement `f` to draw from for a category.
fn f_range(category: Category) -> (f64, f64) {
    match category {
        Category::None => (0.0, 0.22),
        Category::Minimal => (0.12, 0.45),
        Category::Moderate => (0.3, 0.75),
        Category::Major => (0.6, 1.5),
    }
}

/// Draw an improvement `f` and multipliers until the engine scores `baseline → improved` in
/// `category` at the key visit. Returns (f, multipliers).
pub fn draw_category(rng: &mut Rng, baseline: &Vals, category: Category, mmt_max: i64) -> (f64, [f64; 6]) {
    let (lo, hi) = band(category);
    let (flo, fhi) = f_range(category);
    for _ in 0..10_000 {
        let f = rng.range(flo, fhi);
        let m = multipliers(rng);
        let v = baseline.improved(f, &m, mmt_max);
        let recs = score(&[(0, *baseline), (1, v)], mmt_max);
        if let Some(t) = tis_at(&recs, 1) {
            if t >= lo && t < hi {
                return (f, m);
            }
        }
    }
    // The f ranges cover every category for any baseline the generators draw; reaching here
    // means a generator bug, which the demo tests would show as a count that is off.
    (0.0, [1.0; 6])
}

/// Exact target sums: integers around `mean` with spread `sd`, adjusted so that they sum to
/// `round(mean × n)` and each is ≥ `-floor_of[i]` (a change cannot take a score below 0).
pub fn changes_with_mean(rng: &mut Rng, n: usize, mean: f64, sd: f64, min: &[i64]) -> Vec<i64> {
    let mut c: Vec<i64> = (0..n).map(|i| ((mean + sd * rng.normal()).round() as i64).max(min[i])).collect();
    let target = (mean * n as f64).round() as i64;
    let mut sum: i64 = c.iter().sum();
    let mut guard = 0;
    while sum != target && guard < 1_000_000 {
        guard += 1;
        let i = (rng.next_u64() % n as u64) as usize;
        if sum > target && c[i] > min[i] {
            c[i] -= 1;
            sum -= 1;
        } else if sum < target {
            c[i] += 1;
            sum += 1;
        }
    }
    c
}
