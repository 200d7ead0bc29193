//! Typed indices into a site's pages and sections: a page's index cannot be taken for a
//! section's, and `site.pages[id]` reads as what it is.

use std::ops::{Index, IndexMut};

use super::{Page, Section};

/// Declares an index type for `Vec<$item>` and `[$item]`.
macro_rules! id {
    ($(#[$doc:meta])* $name:ident => $item:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl $name {
            pub const fn new(index: usize) -> Self {
                $name(index)
            }

            /// The position in the site's list, for code that keeps its own arrays.
            pub const fn index(self) -> usize {
                self.0
            }

            /// Every id of a list of `len` items, in order.
            pub fn all(len: usize) -> impl DoubleEndedIterator<Item = Self> {
                (0..len).map($name)
            }

            /// `items` with their ids.
            pub fn enumerate(items: &[$item]) -> impl Iterator<Item = (Self, &$item)> {
                items.iter().enumerate().map(|(i, item)| ($name(i), item))
            }
        }

        impl Index<$name> for [$item] {
            type Output = $item;
            fn index(&self, id: $name) -> &$item {
                &self[id.0]
            }
        }

        impl IndexMut<$name> for [$item] {
            fn index_mut(&mut self, id: $name) -> &mut $item {
                &mut self[id.0]
            }
        }

        impl Index<$name> for Vec<$item> {
            type Output = $item;
            fn index(&self, id: $name) -> &$item {
                &self[id.0]
            }
        }

        impl IndexMut<$name> for Vec<$item> {
            fn index_mut(&mut self, id: $name) -> &mut $item {
                &mut self[id.0]
            }
        }
    };
}

id! {
    /// A page's place in `Site::pages` (pages sorted by source path).
    PageId => Page
}

id! {
    /// A section's place in `Site::sections`, parents before children; the home section is
    /// [`SectionId::HOME`].
    SectionId => Section
}

impl SectionId {
    /// The home section, `content/` itself.
    pub const HOME: SectionId = SectionId(0);
}
