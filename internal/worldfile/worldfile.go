// Package worldfile reads the world file: organizations, API keys and jobs
// declared in YAML (or JSON, which YAML includes).
package worldfile

import (
	"fmt"
	"os"

	"sigs.k8s.io/yaml"

	"intake"
)

// MaxSize bounds a world file; it is configuration, not data.
const MaxSize = 16 << 20

// Decode parses a world document. Unknown keys are errors: a misspelt key in
// a world file would otherwise silently drop a job or a scope.
func Decode(b []byte) (*intake.World, error) {
	if len(b) > MaxSize {
		return nil, fmt.Errorf("world file is larger than %d bytes", MaxSize)
	}
	var w intake.World
	if err := yaml.UnmarshalStrict(b, &w); err != nil {
		return nil, fmt.Errorf("world file: %w", err)
	}
	return &w, nil
}

// Load reads and parses the world file at path.
func Load(path string) (*intake.World, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	w, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return w, nil
}
