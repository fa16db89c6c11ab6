pub mod accounts;
pub mod health;
pub mod images;
pub mod labels;
pub mod places;
pub mod search;
pub mod shares;
pub mod web;
