package deadline

// lunarTable holds, for each year from 2007 to 2060, the solar (Gregorian) dates, in China Standard
// Time, of the days the statutory holidays of 《全国年节及纪念日放假办法》 hang on that are not fixed
// solar dates: 正月初一 (Spring Festival), the solar term 清明, 五月初五 (端午) and 八月十五 (中秋).
//
// How it was made: the dates were computed at development time with github.com/6tail/lunar-go v1.4.6
// into a text table (columns year, 正月初一, 清明, 端午, 中秋) and transcribed mechanically into the
// literal below. lunar-go is a development tool only, not a dependency of this module. The table is
// checked by lunar_table_test.go: against every published State Council notice (each statutory day it
// gives must be a day off in the official data), against mean new moons (each 初一 it implies lies
// within a day of one), and against known dates such as 2027-02-06 (Spring Festival).
var lunarTable = [...]lunarYear{
	{2007, 2, 18, 5, 6, 19, 9, 25},
	{2008, 2, 7, 4, 6, 8, 9, 14},
	{2009, 1, 26, 4, 5, 28, 10, 3},
	{2010, 2, 14, 5, 6, 16, 9, 22},
	{2011, 2, 3, 5, 6, 6, 9, 12},
	{2012, 1, 23, 4, 6, 23, 9, 30},
	{2013, 2, 10, 4, 6, 12, 9, 19},
	{2014, 1, 31, 5, 6, 2, 9, 8},
	{2015, 2, 19, 5, 6, 20, 9, 27},
	{2016, 2, 8, 4, 6, 9, 9, 15},
	{2017, 1, 28, 4, 5, 30, 10, 4},
	{2018, 2, 16, 5, 6, 18, 9, 24},
	{2019, 2, 5, 5, 6, 7, 9, 13},
	{2020, 1, 25, 4, 6, 25, 10, 1},
	{2021, 2, 12, 4, 6, 14, 9, 21},
	{2022, 2, 1, 5, 6, 3, 9, 10},
	{2023, 1, 22, 5, 6, 22, 9, 29},
	{2024, 2, 10, 4, 6, 10, 9, 17},
	{2025, 1, 29, 4, 5, 31, 10, 6},
	{2026, 2, 17, 5, 6, 19, 9, 25},
	{2027, 2, 6, 5, 6, 9, 9, 15},
	{2028, 1, 26, 4, 5, 28, 10, 3},
	{2029, 2, 13, 4, 6, 16, 9, 22},
	{2030, 2, 3, 5, 6, 5, 9, 12},
	{2031, 1, 23, 5, 6, 24, 10, 1},
	{2032, 2, 11, 4, 6, 12, 9, 19},
	{2033, 1, 31, 4, 6, 1, 9, 8},
	{2034, 2, 19, 5, 6, 20, 9, 27},
	{2035, 2, 8, 5, 6, 10, 9, 16},
	{2036, 1, 28, 4, 5, 30, 10, 4},
	{2037, 2, 15, 4, 6, 18, 9, 24},
	{2038, 2, 4, 5, 6, 7, 9, 13},
	{2039, 1, 24, 5, 5, 27, 10, 2},
	{2040, 2, 12, 4, 6, 14, 9, 20},
	{2041, 2, 1, 4, 6, 3, 9, 10},
	{2042, 1, 22, 4, 6, 22, 9, 28},
	{2043, 2, 10, 5, 6, 11, 9, 17},
	{2044, 1, 30, 4, 5, 31, 10, 5},
	{2045, 2, 17, 4, 6, 19, 9, 25},
	{2046, 2, 6, 4, 6, 8, 9, 15},
	{2047, 1, 26, 5, 5, 29, 10, 4},
	{2048, 2, 14, 4, 6, 15, 9, 22},
	{2049, 2, 2, 4, 6, 4, 9, 11},
	{2050, 1, 23, 4, 6, 23, 9, 30},
	{2051, 2, 11, 5, 6, 13, 9, 19},
	{2052, 2, 1, 4, 6, 1, 9, 7},
	{2053, 2, 19, 4, 6, 20, 9, 26},
	{2054, 2, 8, 4, 6, 10, 9, 16},
	{2055, 1, 28, 5, 5, 30, 10, 5},
	{2056, 2, 15, 4, 6, 17, 9, 24},
	{2057, 2, 4, 4, 6, 6, 9, 13},
	{2058, 1, 24, 4, 6, 25, 10, 2},
	{2059, 2, 12, 5, 6, 14, 9, 21},
	{2060, 2, 2, 4, 6, 3, 9, 9},
}
