pub mod health;
pub mod images;
pub mod web;
