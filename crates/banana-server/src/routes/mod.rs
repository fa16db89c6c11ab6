pub mod health;
pub mod images;
pub mod labels;
pub mod web;
