//! Who is asking, and what they may see. Every path that returns or changes an image decides
//! through [`Viewer`], so visibility rules live in one place.

use banana_api::Library;
use banana_db::images::{ImageRow, Scope};

/// The caller of a request or the actor of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// Internal work (jobs, tools): sees everything.
    System,
    /// Nobody signed in: public images only.
    Anonymous,
    /// A signed-in account.
    User { id: String, is_admin: bool },
}

impl Viewer {
    /// May this viewer see this image (row, thumbnail, labels, search hit)?
    pub fn can_see(&self, row: &ImageRow) -> bool {
        if row.trashed_at.is_some() {
            return false; // in its owner's trash: nobody's to see (see `trash.rs`)
        }
        match self {
            Viewer::System => true,
            Viewer::Anonymous => row.visibility == "public",
            Viewer::User { id, is_admin } => {
                *is_admin || row.owner_id == *id || row.visibility == "public"
            }
        }
    }

    /// May this viewer see where an image of `owner` was taken? Only its owner (and internal
    /// work) may: not administrators, not anyone else.
    pub fn sees_places_of(&self, owner: Option<&str>) -> bool {
        match self {
            Viewer::System => true,
            Viewer::Anonymous => false,
            Viewer::User { id, .. } => owner == Some(id.as_str()),
        }
    }

    /// The signed-in account, if any.
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Viewer::User { id, .. } => Some(id),
            _ => None,
        }
    }

    /// The user whose own places this viewer may filter and search by.
    pub fn place_owner(&self) -> Option<String> {
        match self {
            Viewer::User { id, .. } => Some(id.clone()),
            _ => None,
        }
    }

    /// The images this viewer may see, for queries that list many.
    pub fn scope(&self) -> Scope {
        match self {
            Viewer::System => Scope::All,
            Viewer::Anonymous => Scope::Public,
            Viewer::User { is_admin: true, .. } => Scope::All,
            Viewer::User { id, .. } => Scope::OwnerOrPublic(id.clone()),
        }
    }

    /// The images of `library` for this viewer: a subset of [`Viewer::scope`]. Signed out,
    /// every library is the public images; an administrator's `all` is everything.
    pub fn library_scope(&self, library: Library) -> Scope {
        match (self, library) {
            (Viewer::System, _) => Scope::All,
            (Viewer::Anonymous, _) | (Viewer::User { .. }, Library::Public) => Scope::Public,
            (Viewer::User { id, .. }, Library::Mine) => Scope::Owner(id.clone()),
            (Viewer::User { .. }, Library::All) => self.scope(),
        }
    }

    /// May this viewer change or delete this image?
    pub fn can_edit(&self, row: &ImageRow) -> bool {
        match self {
            Viewer::System => true,
            Viewer::Anonymous => false,
            Viewer::User { id, is_admin } => *is_admin || row.owner_id == *id,
        }
    }
}
