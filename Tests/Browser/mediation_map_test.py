"""Browser tests of the public mediation map (/mediation-map, 家事调解地图) at 390 px, without signing in.

Loaded by console_test.py (same runner, same helpers, same seeded server). The browser's position is set
through the DevTools protocol (Emulation.setGeolocationOverride, permission granted with
Browser.grantPermissions), as a phone would report it. The harness's server has no tile service
configured, so the page is the list alone.
"""

import console_test as support
from console_test import ALLOWED_WORDS, ENGLISH_WORD, READABLE_TEXT, URL, By, sql

# Near 龙泉镇 (夷陵区) in the demo data: between the township's committee and its villages' points.
HERE = (30.5590, 111.5120)

# Brute force over every body: the page must show the same order as this.
NEAREST = """
SELECT name FROM mediation_bodies ORDER BY mediation_distance(:lat, :lon, latitude::float8, longitude::float8), id LIMIT 3
"""


class MediationMapTest(support.BrowserCase):
    """A woman on her phone finds the nearest mediation bodies: from her location, or by choosing her area."""

    def setUp(self):
        super().setUp()
        self.at_phone_size()

    def locate_at(self, lat, lon):
        self.driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": URL, "permissions": ["geolocation"]})
        self.driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lon, "accuracy": 30})

    def assert_axe_clean(self, where):
        problems = []
        support.AccessibilityTest.assert_accessible(self, where, problems)
        self.assertEqual(problems, [], f"{where}: accessibility")

    def assert_chinese_only(self, where):
        text = self.driver.execute_script(READABLE_TEXT)
        words = sorted({w for w in ENGLISH_WORD.findall(text) if w not in ALLOWED_WORDS})
        self.assertEqual(words, [], f"{where} shows English words")

    def test_mediation_map_nearest_body_first_from_her_location(self):
        expected = [row[0] for row in sql(NEAREST.replace(":lat", str(HERE[0])).replace(":lon", str(HERE[1])))]
        self.assertEqual(len(expected), 3, "the demo has mediation bodies")
        self.locate_at(*HERE)
        self.open("/mediation-map")
        button = self.element("#use-location")
        self.wait(lambda d: button.is_displayed(), "the polite 'use my location' button")
        self.assertIn("不会被保存", self.text())
        button.click()
        self.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#results-list li h3")) >= 3, "the nearest bodies listed")
        names = [e.text for e in self.elements("#results-list li h3")]
        self.assertEqual(names[:3], expected, "nearest first, in the server's exact order")
        first = self.elements("#results-list li")[0]
        self.assertRegex(first.find_element(By.CSS_SELECTOR, ".distance").text, r"^约 [0-9.]+ (米|公里)$")
        self.assertRegex(first.find_element(By.CSS_SELECTOR, "a.call").get_attribute("href"), r"^tel:[0-9+]+$")
        self.assertTrue(first.find_element(By.CSS_SELECTOR, ".hours").text.startswith("时间："))
        self.assert_fits_phone("/mediation-map")
        self.assert_chinese_only("/mediation-map")
        # Her position is kept nowhere on the phone.
        held = self.driver.execute_script(
            "return [localStorage.length, sessionStorage.length, document.cookie];")
        self.assertEqual(held[:2], [0, 0], "nothing in web storage")
        self.assertNotIn(str(HERE[0]), held[2])
        self.assert_axe_clean("/mediation-map (located)")
        self.shot("mediation-map-nearest")

    def test_mediation_map_without_tiles_is_the_list_by_area(self):
        self.open("/mediation-map")
        # No tile service configured: no map, no Leaflet loaded, nothing to switch on.
        self.assertFalse(self.driver.execute_script("return !!window.L;"), "Leaflet not loaded")
        self.assertFalse(self.element("#map").is_displayed())
        self.assertFalse(self.element("#map-toggle").is_displayed())
        county = sql("SELECT id FROM units WHERE name = '夷陵区妇女联合会'")[0][0]
        self.choose("#unit", county)
        self.element(".choose button[type=submit]").click()
        self.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#results-list li")) > 0, "the county's bodies")
        names = [e.text for e in self.elements("#results-list li h3")]
        self.assertEqual(set(names[:2]), {"夷陵区婚姻家庭纠纷人民调解委员会", "夷陵区妇联“和美家庭”调解工作室"},
                         "the county's own bodies first")
        self.assertIn("龙泉镇人民调解委员会", names)
        self.assertFalse(self.element("#map-toggle").is_displayed(), "still no map without a tile service")
        self.assert_fits_phone("/mediation-map?unit_id=…")
        self.assert_chinese_only("/mediation-map?unit_id=…")
        self.assert_axe_clean("/mediation-map?unit_id=…")
        self.shot("mediation-map-area")
