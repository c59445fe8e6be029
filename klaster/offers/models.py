"""Offers and competences: offers, competences and gaps, ideas, training needs (PLT-3)."""
