package intake

import (
	"time"
)

// Move records a stage change of an application (WelcomeKit moves).
type Move struct {
	ApplicationID int64
	FromStageID   int64
	ToStageID     int64
	CreatedAt     time.Time
}
