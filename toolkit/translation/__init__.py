"""Translation: Argos packages, the CTranslate2 driver, the cache, repair."""
