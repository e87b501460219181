fn main() {
    let a: Vec<u64> = std::env::args().skip(1).map(|s| s.parse().unwrap()).collect();
    let t = myotrial_stats::two::TwoByTwo::new(a[0], a[1], a[2], a[3]).unwrap();
    let s = std::time::Instant::now();
    let ci = myotrial_stats::exact_ci::exact_unconditional_ci(&t, 0.95).unwrap();
    println!("{} {} p={} {:?}", ci.low, ci.high, myotrial_stats::exact_ci::exact_unconditional_p(&t), s.elapsed());
}
