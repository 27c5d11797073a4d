package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"intake"
)

// ms is the stored form of a time: unix milliseconds. Sub-millisecond
// digits are dropped; the domain never produces them.
func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func nullMS(t *time.Time) sql.Null[int64] {
	if t == nil {
		return sql.Null[int64]{}
	}
	return sql.Null[int64]{V: ms(*t), Valid: true}
}

func fromNullMS(v sql.Null[int64]) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.V)
	return &t
}

// jsonList encodes a list column; nil and empty both store "[]".
func jsonList[T any](list []T) (string, error) {
	if len(list) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(list)
	return string(b), err
}

func fromJSONList[T any](s string) ([]T, error) {
	if s == "[]" || s == "" {
		return nil, nil
	}
	var out []T
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("decode list column: %w", err)
	}
	return out, nil
}

// jsonMedia encodes profile links. An empty link is no link, so it is not
// stored: a merge must not erase a known link with it.
func jsonMedia(m map[string]string) (string, error) {
	n := 0
	for _, v := range m {
		if v != "" {
			n++
		}
	}
	if n == 0 {
		return "{}", nil
	}
	if n < len(m) {
		kept := make(map[string]string, n)
		for k, v := range m {
			if v != "" {
				kept[k] = v
			}
		}
		m = kept
	}
	b, err := json.Marshal(m)
	return string(b), err
}

func fromJSONMedia(s string) (map[string]string, error) {
	if s == "{}" || s == "" {
		return nil, nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("decode media column: %w", err)
	}
	return m, nil
}

// answer is the stored form of intake.Answer, with short stable keys.
type answer struct {
	QuestionID string `json:"qid,omitempty"`
	Question   string `json:"q"`
	Value      string `json:"v"`
}

func jsonAnswers(list []intake.Answer) (string, error) {
	if len(list) == 0 {
		return "[]", nil
	}
	out := make([]answer, len(list))
	for i, a := range list {
		out[i] = answer(a)
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func fromJSONAnswers(s string) ([]intake.Answer, error) {
	list, err := fromJSONList[answer](s)
	if err != nil || list == nil {
		return nil, err
	}
	out := make([]intake.Answer, len(list))
	for i, a := range list {
		out[i] = intake.Answer(a)
	}
	return out, nil
}
