//! Montgomery `u`-coordinates as fractions, so that several can share one field
//! inversion (Montgomery's trick): the ephemeral public key and the shared secret of a
//! seal, or all of a batch's.

use alloc::vec::Vec;

use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::{Zeroize, Zeroizing};

use super::field::Fe;

/// `u = numerator / denominator`. May be secret: wiped when dropped.
pub(super) struct Fraction {
    numerator: Fe,
    denominator: Fe,
}

impl Fraction {
    /// The fraction, with a zero denominator (the identity, whose `u` X25519 defines as
    /// `x · 0^(p-2)` = 0) replaced by `0/1` in constant time, so that it cannot spoil an
    /// inversion shared with others.
    pub(super) fn new(numerator: Fe, denominator: Fe) -> Fraction {
        let identity = denominator.ct_eq(&Fe::ZERO);
        Fraction {
            numerator: Fe::conditional_select(&numerator, &Fe::ZERO, identity),
            denominator: Fe::conditional_select(&denominator, &Fe::ONE, identity),
        }
    }

    /// The canonical encoding of the value, with an inversion of its own.
    pub(super) fn value(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.numerator.mul(self.denominator.invert()).to_bytes())
    }
}

impl Drop for Fraction {
    fn drop(&mut self) {
        self.numerator.zeroize();
        self.denominator.zeroize();
    }
}

/// The values of two fractions, with one inversion and no allocation.
pub(super) fn values_of_two(
    a: &Fraction,
    b: &Fraction,
) -> (Zeroizing<[u8; 32]>, Zeroizing<[u8; 32]>) {
    let mut inverse = a.denominator.mul(b.denominator).invert();
    let values = (
        Zeroizing::new(a.numerator.mul(inverse.mul(b.denominator)).to_bytes()),
        Zeroizing::new(b.numerator.mul(inverse.mul(a.denominator)).to_bytes()),
    );
    inverse.zeroize();
    values
}

/// The values of all `fractions`, with one inversion.
pub(super) fn values(fractions: &[Fraction]) -> Vec<Zeroizing<[u8; 32]>> {
    let inverses = invert_all(fractions.iter().map(|fraction| fraction.denominator));
    fractions
        .iter()
        .zip(inverses.iter())
        .map(|(fraction, inverse)| Zeroizing::new(fraction.numerator.mul(*inverse).to_bytes()))
        .collect()
}

/// Inverts every element with one inversion (Montgomery's trick); zeros are not allowed.
/// The products may be secret: everything is wiped when dropped.
pub(super) fn invert_all(elements: impl ExactSizeIterator<Item = Fe>) -> Zeroizing<Vec<Fe>> {
    let mut prefix = Zeroizing::new(Vec::with_capacity(elements.len()));
    let mut elems = Zeroizing::new(Vec::with_capacity(elements.len()));
    let mut running = Fe::ONE;
    for element in elements {
        prefix.push(running);
        running = running.mul(element);
        elems.push(element);
    }
    let mut inverse = running.invert();
    let mut out = Zeroizing::new(alloc::vec![Fe::ZERO; elems.len()]);
    for i in (0..elems.len()).rev() {
        out[i] = inverse.mul(prefix[i]);
        inverse = inverse.mul(elems[i]);
    }
    running.zeroize();
    inverse.zeroize();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_inversions_give_each_value() {
        // 3/7, 5/11, 0/0 (the identity: 0) and 2/1.
        let fractions = [
            Fraction::new(Fe::small(3), Fe::small(7)),
            Fraction::new(Fe::small(5), Fe::small(11)),
            Fraction::new(Fe::small(4), Fe::ZERO),
            Fraction::new(Fe::small(2), Fe::ONE),
        ];
        let each: Vec<[u8; 32]> = fractions.iter().map(|f| *f.value()).collect();
        assert_eq!(
            Fe::small(7).mul(Fe::from_bytes(&each[0])).to_bytes(),
            Fe::small(3).to_bytes()
        );
        assert_eq!(
            Fe::small(11).mul(Fe::from_bytes(&each[1])).to_bytes(),
            Fe::small(5).to_bytes()
        );
        assert_eq!(each[2], [0; 32]);
        assert_eq!(each[3], Fe::small(2).to_bytes());
        let together: Vec<[u8; 32]> = values(&fractions).iter().map(|v| **v).collect();
        assert_eq!(together, each);
        for (a, b) in [(0, 1), (0, 2), (2, 3)] {
            let (x, y) = values_of_two(&fractions[a], &fractions[b]);
            assert_eq!((*x, *y), (each[a], each[b]), "fractions {a} and {b}");
        }
    }
}
