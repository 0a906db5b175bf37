//! Zeros and poles to second-order sections: SciPy's `zpk2sos` with `pairing='nearest'`.
//!
//! Poles are taken "worst first" (closest to the unit circle), each paired with its nearest zero, and
//! the sections are stored so the worst poles come last, exactly as SciPy orders them. Matching SciPy's
//! order (not just its transfer function) is what lets every coefficient be compared one to one.

use alloc::vec;
use alloc::vec::Vec;
use num_complex::Complex64;

use crate::zpk::Zpk;

/// Real and positive-imaginary halves of conjugate pairs, as SciPy's `_cplxreal` returns them,
/// concatenated (complex halves first, then reals with an exactly zero imaginary part).
fn cplxreal(z: &[Complex64]) -> Vec<Complex64> {
    if z.is_empty() {
        return Vec::new();
    }
    let tol = 100.0 * f64::EPSILON;
    let mut z = z.to_vec();
    // numpy.lexsort((abs(imag), real)) is a stable sort on real, then |imag|.
    z.sort_by(|a, b| {
        a.re.total_cmp(&b.re)
            .then(libm::fabs(a.im).total_cmp(&libm::fabs(b.im)))
    });
    let is_real = |v: &Complex64| libm::fabs(v.im) <= tol * v.norm();
    let reals: Vec<Complex64> = z
        .iter()
        .filter(|v| is_real(v))
        .map(|v| Complex64::new(v.re, 0.0))
        .collect();
    let rest: Vec<Complex64> = z.iter().filter(|v| !is_real(v)).copied().collect();
    let mut zp: Vec<Complex64> = rest.iter().filter(|v| v.im > 0.0).copied().collect();
    let mut zn: Vec<Complex64> = rest.iter().filter(|v| v.im < 0.0).copied().collect();
    // Butterworth designs always come in exact conjugate pairs; `truncate` only guards the indexing.
    let m = zp.len().min(zn.len());
    zp.truncate(m);
    zn.truncate(m);
    // Runs of (approximately) equal real part are sorted by |imag|.
    let mut start = 0;
    while start < m {
        let mut stop = start + 1;
        while stop < m && zp[stop].re - zp[stop - 1].re <= tol * zp[stop - 1].norm() {
            stop += 1;
        }
        if stop - start > 1 {
            zp[start..stop].sort_by(|a, b| libm::fabs(a.im).total_cmp(&libm::fabs(b.im)));
            zn[start..stop].sort_by(|a, b| libm::fabs(a.im).total_cmp(&libm::fabs(b.im)));
        }
        start = stop;
    }
    let mut out: Vec<Complex64> = zp
        .iter()
        .zip(&zn)
        .map(|(a, b)| (a + b.conj()) * 0.5)
        .collect();
    out.extend(reals);
    out
}

/// Index of the pole closest to the unit circle (first on ties, like `numpy.argmin`).
fn idx_worst(p: &[Complex64]) -> usize {
    let mut best = 0;
    let mut best_d = f64::INFINITY;
    for (i, v) in p.iter().enumerate() {
        let d = libm::fabs(1.0 - v.norm());
        if d < best_d {
            best_d = d;
            best = i;
        }
    }
    best
}

#[derive(Clone, Copy, PartialEq)]
enum Which {
    Real,
    Complex,
    Any,
}

/// Index of the element of `fro` nearest to `to` among the real, complex or any elements.
/// Returns `None` only if no element of the requested kind exists.
fn nearest_idx(fro: &[Complex64], to: Complex64, which: Which) -> Option<usize> {
    let mut order: Vec<usize> = (0..fro.len()).collect();
    order.sort_by(|&a, &b| (fro[a] - to).norm().total_cmp(&(fro[b] - to).norm()));
    order.into_iter().find(|&i| match which {
        Which::Any => true,
        Which::Real => fro[i].im == 0.0,
        Which::Complex => fro[i].im != 0.0,
    })
}

/// Coefficients of the monic polynomial with the given roots, as `numpy.poly` builds them.
fn poly(roots: &[Complex64]) -> Vec<f64> {
    let mut c = vec![Complex64::new(1.0, 0.0)];
    for r in roots {
        let mut next = vec![Complex64::new(0.0, 0.0); c.len() + 1];
        for (i, ci) in c.iter().enumerate() {
            next[i] += ci;
            next[i + 1] += ci * (-r);
        }
        c = next;
    }
    c.into_iter().map(|v| v.re).collect()
}

/// One section from up to two zeros and two poles (`_single_zpksos`, gain 1).
fn single_section(z: &[Complex64], p: &[Complex64]) -> [f64; 6] {
    let mut sos = [0.0; 6];
    let b = poly(z);
    let a = poly(p);
    sos[3 - b.len()..3].copy_from_slice(&b);
    sos[6 - a.len()..6].copy_from_slice(&a);
    sos
}

/// SciPy `zpk2sos(z, p, k)` for a digital filter with the default `'nearest'` pairing.
pub(crate) fn zpk2sos(zpk: &Zpk) -> Vec<[f64; 6]> {
    let zero = Complex64::new(0.0, 0.0);
    if zpk.z.is_empty() && zpk.p.is_empty() {
        return vec![[zpk.k, 0.0, 0.0, 1.0, 0.0, 0.0]];
    }
    let mut p = zpk.p.clone();
    let mut z = zpk.z.clone();
    let n = p.len().max(z.len());
    p.resize(n, zero);
    z.resize(n, zero);
    let n_sections = n.div_ceil(2);
    if p.len() % 2 == 1 {
        p.push(zero);
        z.push(zero);
    }
    let mut z = cplxreal(&z);
    let mut p = cplxreal(&p);
    let is_real = |v: &Complex64| v.im == 0.0;
    let n_real = |v: &[Complex64]| v.iter().filter(|x| x.im == 0.0).count();

    let mut sos = vec![[0.0; 6]; n_sections];
    for si in (0..n_sections).rev() {
        if p.is_empty() {
            break;
        }
        let p1 = p.remove(idx_worst(&p));
        if is_real(&p1) && n_real(&p) == 0 {
            // Special case (1): the last remaining real pole.
            let z1 = take(&mut z, p1, Which::Real).unwrap_or(zero);
            sos[si] = single_section(&[z1, zero], &[p1, zero]);
        } else if p.len() + 1 == z.len() && !is_real(&p1) && n_real(&p) == 1 && n_real(&z) == 1 {
            // Special case (2): one real pole and one real zero left; pair with a complex zero.
            let z1 = take(&mut z, p1, Which::Complex).unwrap_or(zero);
            sos[si] = single_section(&[z1, z1.conj()], &[p1, p1.conj()]);
        } else {
            let p2 = if is_real(&p1) {
                let reals: Vec<usize> = (0..p.len()).filter(|&i| is_real(&p[i])).collect();
                let candidates: Vec<Complex64> = reals.iter().map(|&i| p[i]).collect();
                p.remove(reals[idx_worst(&candidates)])
            } else {
                p1.conj()
            };
            match take(&mut z, p1, Which::Any) {
                Some(z1) if !is_real(&z1) => {
                    sos[si] = single_section(&[z1, z1.conj()], &[p1, p2]);
                }
                Some(z1) => match take(&mut z, p1, Which::Real) {
                    Some(z2) => sos[si] = single_section(&[z1, z2], &[p1, p2]),
                    None => sos[si] = single_section(&[z1], &[p1, p2]),
                },
                None => sos[si] = single_section(&[], &[p1, p2]),
            }
        }
    }
    for c in &mut sos[0][..3] {
        *c *= zpk.k;
    }
    sos
}

/// Removes and returns the element of `z` nearest to `to` of the requested kind.
fn take(z: &mut Vec<Complex64>, to: Complex64, which: Which) -> Option<Complex64> {
    nearest_idx(z, to, which).map(|i| z.remove(i))
}
