package cronjob

import "math/bits"

// Calendar arithmetic on a proleptic Gregorian calendar counted in days and
// minutes since 1970-01-01 00:00 of a wall clock. The exact run computations
// use these instead of time.Time so that counting a year of minutes costs a
// handful of month steps rather than 525,600 calls to Next.

const (
	minutesPerDay = 1440
	// cycleDays is the length of the Gregorian 400-year cycle. It is a whole
	// number of weeks (20,871), so both dates and weekdays repeat after it.
	cycleDays = 146097
	// cycleSeconds is cycleDays in seconds.
	cycleSeconds = cycleDays * 86400
)

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }

// daysFromCivil returns the day number (days since 1970-01-01) of y-m-d.
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*cycleDays + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y int64, m, d int) {
	z += 719468
	era := floorDiv(z, cycleDays)
	doe := z - era*cycleDays
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// weekdayOf returns 0 (Sunday) to 6 (Saturday) for a day number;
// 1970-01-01 was a Thursday.
func weekdayOf(day int64) int { return int(floorMod(day+4, 7)) }

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func monthLen(y int64, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// span returns a mask with bits lo..hi set (0 ≤ lo, hi ≤ 63); empty if lo > hi.
func span(lo, hi int) uint64 {
	if lo > hi {
		return 0
	}
	var upper uint64 = ^uint64(0)
	if hi < 63 {
		upper = (uint64(1) << (hi + 1)) - 1
	}
	return upper &^ ((uint64(1) << lo) - 1)
}

func popcount(x uint64) int64 { return int64(bits.OnesCount64(x)) }

// highBit and lowBit return the index of the highest or lowest set bit of a
// non-zero mask.
func highBit(x uint64) int { return 63 - bits.LeadingZeros64(x) }
func lowBit(x uint64) int  { return bits.TrailingZeros64(x) }
