package tenants

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/geo"
)

// demoCustomer is one shop or restaurant of the demo, placed a few kilometres around its city's
// centre. Most have a circle fence of radius metres; those with an outline have a polygon fence
// instead. A few are given in GCJ-02, as a rep's phone would report them, so that a newcomer's
// demo goes through the conversion like real data does.
type demoCustomer struct {
	city                          string
	name, contact, phone, address string
	grade                         visits.Grade
	rep                           int // index into the city's reps in demoOrg
	lat, lon                      float64
	datum                         visits.Datum
	radius                        float64
	outline                       []demoOffset
}

// demoOffset is a polygon vertex in metres north and east of the shop.
type demoOffset struct{ north, east float64 }

// Site outlines: a plain lot, a shop with a forecourt on the street, and an L-shaped corner lot.
var (
	demoLot        = []demoOffset{{-35, -50}, {-35, 50}, {35, 50}, {35, -50}}
	demoForecourt  = []demoOffset{{-40, -45}, {-40, 45}, {20, 45}, {45, 0}, {20, -45}}
	demoCornerSite = []demoOffset{{-50, -50}, {-50, 60}, {0, 60}, {0, 10}, {50, 10}, {50, -50}}
)

const (
	w84 = visits.WGS84
	gcj = visits.GCJ02
)

var demoCustomers = []demoCustomer{
	{"Jinan", "Yinzuo Supermarket (Quancheng Rd)", "Han Xue", "+86 531 8601 2318", "188 Quancheng Rd, Lixia District, Jinan", visits.GradeA, 0, 36.6628, 117.0224, w84, 0, demoLot},
	{"Jinan", "Lianhua Supermarket (Jingshi Rd)", "Qi Hong", "+86 531 8297 4405", "56 Jingshi Rd, Shizhong District, Jinan", visits.GradeB, 0, 36.6471, 117.0035, w84, 100, nil},
	{"Jinan", "FamilyMart (Baotu Spring)", "Dong Yue", "+86 531 8612 7730", "12 Baotuquan South Rd, Shizhong District, Jinan", visits.GradeC, 1, 36.6605, 117.0152, gcj, 60, nil},
	{"Jinan", "Lao Jinan Baozi Shop", "Kong Fanyu", "+86 531 8680 1942", "33 Furong St, Lixia District, Jinan", visits.GradeC, 1, 36.6643, 117.0189, w84, 50, nil},
	{"Jinan", "Jiajiayue Supermarket (Daming Lake)", "Tian Rui", "+86 531 8815 6627", "9 Daminghu Rd, Lixia District, Jinan", visits.GradeA, 2, 36.6752, 117.0261, w84, 150, nil},
	{"Jinan", "Kuaike Convenience (Shanda Rd)", "Yu Jing", "+86 531 8856 3019", "27 Shanda Rd, Lixia District, Jinan", visits.GradeC, 2, 36.6689, 117.0532, w84, 60, nil},
	{"Jinan", "Lu Cai Restaurant (Jingqi Rd)", "Meng Qingshan", "+86 531 8703 2281", "105 Jingqi Rd, Huaiyin District, Jinan", visits.GradeB, 0, 36.6553, 116.9768, w84, 80, nil},
	{"Jinan", "Hualian Supermarket (Erhuan West Rd)", "Sun Jiayi", "+86 531 8792 6614", "88 Erhuan West Rd, Huaiyin District, Jinan", visits.GradeB, 1, 36.6382, 116.9621, w84, 120, nil},
	{"Jinan", "Yijia Convenience (Lishan Rd)", "Cao Lin", "+86 531 8895 0477", "61 Lishan Rd, Lixia District, Jinan", visits.GradeC, 2, 36.6427, 117.0316, w84, 50, nil},
	{"Jinan", "Hongfu Hotpot (Qianfoshan)", "Ren Dong", "+86 531 8290 1158", "2 Qianfoshan Rd, Lixia District, Jinan", visits.GradeB, 0, 36.6356, 117.0268, w84, 90, nil},

	{"Qingdao", "Liqun Supermarket (Zhongshan Rd)", "Xue Ming", "+86 532 8286 1204", "117 Zhongshan Rd, Shinan District, Qingdao", visits.GradeA, 0, 36.0672, 120.3221, w84, 0, demoForecourt},
	{"Qingdao", "Jiajiayue Supermarket (Hong Kong Middle Rd)", "Yuan Ting", "+86 532 8579 3360", "72 Hong Kong Middle Rd, Shinan District, Qingdao", visits.GradeB, 1, 36.0641, 120.3846, w84, 120, nil},
	{"Qingdao", "FamilyMart (May Fourth Square)", "Jiang Wei", "+86 532 8591 7742", "3 Donghai West Rd, Shinan District, Qingdao", visits.GradeC, 1, 36.0597, 120.3842, gcj, 50, nil},
	{"Qingdao", "Haiyun Seafood Restaurant (Yan'an Third Rd)", "Song Bo", "+86 532 8387 2915", "46 Yan'an Third Rd, Shinan District, Qingdao", visits.GradeB, 0, 36.0718, 120.3459, w84, 80, nil},
	{"Qingdao", "Lawson (Taidong)", "Lyu Na", "+86 532 8361 0528", "55 Taidong Third Rd, Shibei District, Qingdao", visits.GradeC, 0, 36.0879, 120.3563, w84, 60, nil},
	{"Qingdao", "Wanjia Convenience (Ningxia Rd)", "Pan Xiaodong", "+86 532 8580 4471", "210 Ningxia Rd, Shinan District, Qingdao", visits.GradeC, 1, 36.0801, 120.3911, w84, 50, nil},
	{"Qingdao", "Dengzhou Road Beer Grill", "Qu Lei", "+86 532 8283 6093", "31 Dengzhou Rd, Shibei District, Qingdao", visits.GradeC, 0, 36.0859, 120.3511, w84, 70, nil},

	{"Nanjing", "Suguo Supermarket (Xinjiekou)", "Ding Hui", "+86 25 8471 2093", "1 Zhongshan South Rd, Qinhuai District, Nanjing", visits.GradeA, 0, 32.0418, 118.7841, gcj, 0, demoCornerSite},
	{"Nanjing", "Suguo Convenience (Hunan Rd)", "Shi Yan", "+86 25 8331 6740", "18 Hunan Rd, Gulou District, Nanjing", visits.GradeC, 0, 32.0659, 118.7828, w84, 50, nil},
	{"Nanjing", "Jinying Supermarket (Hanzhong Rd)", "Fang Li", "+86 25 8662 9135", "89 Hanzhong Rd, Gulou District, Nanjing", visits.GradeB, 1, 32.0441, 118.7702, w84, 110, nil},
	{"Nanjing", "Nanjing Dapaidang (Shiziqiao)", "Yan Kai", "+86 25 8330 5576", "2 Shiziqiao, Gulou District, Nanjing", visits.GradeB, 1, 32.0632, 118.7839, w84, 90, nil},
	{"Nanjing", "Lawson (Zhujiang Rd)", "Qian Yu", "+86 25 8368 4102", "128 Zhujiang Rd, Xuanwu District, Nanjing", visits.GradeC, 2, 32.0551, 118.7895, gcj, 60, nil},
	{"Nanjing", "FamilyMart (Xuanwu Lake)", "Tang Lu", "+86 25 8542 3318", "6 Xuanwu Lake Rd, Xuanwu District, Nanjing", visits.GradeC, 2, 32.0752, 118.7968, w84, 50, nil},
	{"Nanjing", "Suning Life Mart (Daxinggong)", "Zhu Wen", "+86 25 8451 7769", "301 Zhongshan East Rd, Xuanwu District, Nanjing", visits.GradeB, 2, 32.0433, 118.8057, w84, 100, nil},
	{"Nanjing", "Laomendong Duck Blood Soup", "Xia Jun", "+86 25 8662 1804", "15 Zhonghua Rd, Qinhuai District, Nanjing", visits.GradeC, 0, 32.0214, 118.7862, w84, 60, nil},
	{"Nanjing", "Haoyouduo Convenience (Yueya Lake)", "Lu Chen", "+86 25 8448 0257", "77 Yueya Lake Rd, Qinhuai District, Nanjing", visits.GradeC, 1, 32.0315, 118.8263, w84, 50, nil},

	{"Guangzhou", "Tianhong Supermarket (Beijing Rd)", "Liang Jiahui", "+86 20 8333 5187", "219 Beijing Rd, Yuexiu District, Guangzhou", visits.GradeA, 0, 23.1248, 113.2695, w84, 0, demoLot},
	{"Guangzhou", "Meiyijia Convenience (Zhongshan Fifth Rd)", "Mai Zhiqiang", "+86 20 8319 2046", "68 Zhongshan Fifth Rd, Yuexiu District, Guangzhou", visits.GradeC, 0, 23.1275, 113.2712, gcj, 50, nil},
	{"Guangzhou", "Guangzhou Restaurant (Wenchang South Rd)", "Cai Weiming", "+86 20 8138 0388", "2 Wenchang South Rd, Liwan District, Guangzhou", visits.GradeB, 1, 23.1214, 113.2473, w84, 100, nil},
	{"Guangzhou", "Vanguard Supermarket (Dongfeng West Rd)", "Ou Yang", "+86 20 8127 4429", "142 Dongfeng West Rd, Liwan District, Guangzhou", visits.GradeB, 1, 23.1325, 113.2568, w84, 120, nil},
	{"Guangzhou", "FamilyMart (Shangxiajiu)", "Li Wenting", "+86 20 8181 6530", "88 Shangxiajiu Rd, Liwan District, Guangzhou", visits.GradeC, 1, 23.1179, 113.2521, w84, 60, nil},
	{"Guangzhou", "Taotaoju Tea House", "Lu Shaohua", "+86 20 8139 6111", "20 Dishifu Rd, Liwan District, Guangzhou", visits.GradeB, 0, 23.1233, 113.2558, w84, 80, nil},
	{"Guangzhou", "7-Eleven (Haizhu Square)", "Zeng Li", "+86 20 8333 7725", "5 Qiyi Rd, Yuexiu District, Guangzhou", visits.GradeC, 0, 23.1186, 113.2663, w84, 50, nil},

	{"Shenzhen", "Renrenle Supermarket (Huaqiang North Rd)", "Zhong Hao", "+86 755 8376 2041", "3008 Huaqiang North Rd, Futian District, Shenzhen", visits.GradeA, 0, 22.5448, 114.0858, w84, 150, nil},
	{"Shenzhen", "Meiyijia Convenience (Fuhua Third Rd)", "Wen Jie", "+86 755 8279 6318", "16 Fuhua Third Rd, Futian District, Shenzhen", visits.GradeC, 0, 22.5369, 114.0594, gcj, 50, nil},
	{"Shenzhen", "Vanguard Supermarket (Shennan Middle Rd)", "Lai Xiaoling", "+86 755 8320 1957", "6009 Shennan Middle Rd, Futian District, Shenzhen", visits.GradeB, 1, 22.5408, 114.0677, gcj, 0, demoForecourt},
	{"Shenzhen", "Chaoshan Beef Hotpot (Lianhua Rd)", "Xie Dong", "+86 755 8317 4582", "1101 Lianhua Rd, Futian District, Shenzhen", visits.GradeB, 1, 22.5562, 114.0631, w84, 90, nil},
	{"Shenzhen", "7-Eleven (Coco Park)", "Peng Yu", "+86 755 8291 0376", "138 Fuhua Third Rd, Futian District, Shenzhen", visits.GradeC, 0, 22.5335, 114.0551, w84, 50, nil},
	{"Shenzhen", "Tianhong Supermarket (Jingtian)", "Deng Min", "+86 755 8396 5204", "18 Jingtian North Rd, Futian District, Shenzhen", visits.GradeB, 1, 22.5531, 114.0467, w84, 110, nil},
	{"Shenzhen", "Lawson (Gangxia)", "Kuang Jie", "+86 755 8288 3341", "25 Gangxia Rd, Futian District, Shenzhen", visits.GradeC, 0, 22.5311, 114.0691, w84, 60, nil},
}

// buildCustomers creates the demo's customers through the visits service, each owned by a rep of
// its city and placed in the city's region.
func buildCustomers(ctx context.Context, v *visits.Service, cities map[string]demoPlace) error {
	for _, c := range demoCustomers {
		place, ok := cities[c.city]
		if !ok || c.rep >= len(place.reps) {
			return fmt.Errorf("demo customer %s: %s has no rep %d", c.name, c.city, c.rep+1)
		}
		if _, err := c.create(ctx, v, place.reps[c.rep], place.region); err != nil {
			return err
		}
	}
	return nil
}

// create records c through the visits service, owned by owner in region: the demo's customers
// and a new tenant's sample ones alike.
func (c demoCustomer) create(ctx context.Context, v *visits.Service, owner, region uuid.UUID) (visits.Customer, error) {
	fence := visits.FenceInput{Kind: visits.FenceCircle, RadiusM: c.radius}
	if c.outline != nil {
		polygon, err := c.polygon()
		if err != nil {
			return visits.Customer{}, fmt.Errorf("customer %s: %w", c.name, err)
		}
		// The outline is in the datum of the location it surrounds, which the service assumes.
		fence = visits.FenceInput{Kind: visits.FencePolygon, Polygon: polygon}
	}
	got, err := v.CreateCustomer(ctx, visits.NewCustomer{Name: c.name, ContactName: c.contact, Phone: c.phone, Address: c.address,
		Grade: c.grade, OwnerID: owner, RegionID: region,
		Location: visits.Position{Point: geo.Point{Lat: c.lat, Lon: c.lon}, Datum: c.datum}, Fence: fence})
	if err != nil {
		return visits.Customer{}, fmt.Errorf("customer %s: %w", c.name, err)
	}
	return got, nil
}

// polygon is the GeoJSON Polygon of c's outline around its location. A few hundred metres across,
// the earth is flat enough to turn metres into degrees with the local scale.
func (c demoCustomer) polygon() ([]byte, error) {
	metresPerDegree := geo.EarthRadius * math.Pi / 180
	ring := make([][]float64, 0, len(c.outline)+1)
	for _, o := range c.outline {
		lat := c.lat + o.north/metresPerDegree
		lon := c.lon + o.east/(metresPerDegree*math.Cos(c.lat*math.Pi/180))
		ring = append(ring, []float64{lon, lat})
	}
	ring = append(ring, ring[0])
	return json.Marshal(map[string]any{"type": "Polygon", "coordinates": [][][]float64{ring}})
}
