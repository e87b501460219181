//! Hand-written SVG charts (inline in the report, no scripts, no network): a waterfall, mean
//! TIS over time with CIs, responder proportions with CIs, Kaplan–Meier curves, a forest plot.

use std::fmt::Write;

pub const PALETTE: [&str; 6] = ["#1f6fb4", "#c8442e", "#2e8b57", "#8a4fbf", "#b8860b", "#555555"];

/// Escape text for HTML/SVG.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A linear map from data to pixels.
#[derive(Clone, Copy)]
pub struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub p0: f64,
    pub p1: f64,
}

impl Scale {
    pub fn at(&self, v: f64) -> f64 {
        if self.d1 == self.d0 {
            return (self.p0 + self.p1) / 2.0;
        }
        self.p0 + (v - self.d0) / (self.d1 - self.d0) * (self.p1 - self.p0)
    }
}

/// "Nice" tick values covering [lo, hi].
pub fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let span = (hi - lo).abs().max(1e-12);
    let raw = span / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| span / s <= n as f64).unwrap_or(10.0 * mag);
    let start = (lo / step).ceil() * step;
    let mut v = Vec::new();
    let mut x = start;
    while x <= hi + step * 1e-9 {
        v.push(if x.abs() < step * 1e-9 { 0.0 } else { x });
        x += step;
    }
    v
}

fn fmt_tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.2}").trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// An SVG canvas with a plot area and axes.
pub struct Chart {
    pub w: f64,
    pub h: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub body: String,
}

impl Chart {
    pub fn new(w: f64, h: f64) -> Chart {
        Chart { w, h, left: 60.0, right: 20.0, top: 30.0, bottom: 45.0, body: String::new() }
    }

    pub fn x(&self, d0: f64, d1: f64) -> Scale {
        Scale { d0, d1, p0: self.left, p1: self.w - self.right }
    }

    pub fn y(&self, d0: f64, d1: f64) -> Scale {
        Scale { d0, d1, p0: self.h - self.bottom, p1: self.top }
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, style: &str) {
        let _ = write!(self.body, r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" {style}/>"#);
    }

    pub fn text(&mut self, x: f64, y: f64, anchor: &str, size: f64, s: &str) {
        let _ = write!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" font-size="{size}">{}</text>"#,
            esc(s)
        );
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, title: &str) {
        let _ = write!(
            self.body,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{fill}"><title>{}</title></rect>"#,
            w.max(0.0),
            h.max(0.0),
            esc(title)
        );
    }

    pub fn circle(&mut self, x: f64, y: f64, r: f64, fill: &str, title: &str) {
        let _ = write!(
            self.body,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r}" fill="{fill}"><title>{}</title></circle>"#,
            esc(title)
        );
    }

    pub fn path(&mut self, d: &str, stroke: &str, extra: &str) {
        let _ = write!(self.body, r#"<path d="{d}" fill="none" stroke="{stroke}" stroke-width="2" {extra}/>"#);
    }

    /// Horizontal grid and y tick labels.
    pub fn y_axis(&mut self, y: Scale, label: &str, pct: bool) {
        for t in ticks(y.d0.min(y.d1), y.d0.max(y.d1), 6) {
            let py = y.at(t);
            self.line(self.left, py, self.w - self.right, py, r##"stroke="#e3e3e3""##);
            let s = if pct { format!("{}%", fmt_tick(100.0 * t)) } else { fmt_tick(t) };
            self.text(self.left - 6.0, py + 4.0, "end", 11.0, &s);
        }
        let cy = (self.top + self.h - self.bottom) / 2.0;
        let _ = write!(
            self.body,
            r#"<text x="14" y="{cy:.1}" text-anchor="middle" font-size="12" transform="rotate(-90 14 {cy:.1})">{}</text>"#,
            esc(label)
        );
    }

    pub fn x_axis(&mut self, x: Scale, label: &str, ticks_at: &[f64]) {
        let base = self.h - self.bottom;
        self.line(self.left, base, self.w - self.right, base, r##"stroke="#888""##);
        for &t in ticks_at {
            let px = x.at(t);
            self.line(px, base, px, base + 4.0, r##"stroke="#888""##);
            self.text(px, base + 16.0, "middle", 11.0, &fmt_tick(t));
        }
        self.text((self.left + self.w - self.right) / 2.0, self.h - 8.0, "middle", 12.0, label);
    }

    pub fn legend(&mut self, items: &[(String, &str)]) {
        let mut x = self.left;
        for (name, color) in items {
            self.rect(x, 8.0, 12.0, 12.0, color, name);
            self.text(x + 16.0, 18.0, "start", 12.0, name);
            x += 30.0 + 7.0 * name.chars().count() as f64;
        }
    }

    /// The finished `<svg>` element; `kind` names the plot for the render check.
    pub fn finish(self, kind: &str, title: &str) -> String {
        format!(
            r#"<figure><svg class="plot" data-plot="{kind}" role="img" aria-label="{t}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif"><title>{t}</title>{body}</svg><figcaption>{t}</figcaption></figure>"#,
            w = self.w,
            h = self.h,
            t = esc(title),
            body = self.body
        )
    }
}
