-- Who made each move (a user's or API key's name), for the candidate
-- card's timeline; moves made before are left without one.
ALTER TABLE moves ADD COLUMN actor TEXT NOT NULL DEFAULT '';
