"""The side named as what a strike hit, or as the author of a repelled attack, is not the side that acts
(invented sentences, Arabic and English)."""
import datetime as dt

from pipeline.claims import extract
from pipeline.models import Article, ClaimType, Side

TARHUNA, AIN_ZARA, YARMOUK = "mihwar:tarhuna", "mihwar:ain_zara", "mihwar:yarmouk_camp"
PUBLISHED = dt.date(2020, 5, 7)


def at(text: str, place: str, source: str = "") -> set[tuple[Side | None, ClaimType]]:
    an = extract(Article("t", "", text, PUBLISHED, source))
    return {(c.side, c.claim) for c in an.claims if c.place_id == place}


def test_the_side_whose_positions_or_convoy_were_struck_did_not_strike():
    for text in ("Drones struck positions of Haftar's forces near Tarhuna.",
                 "Unidentified aircraft targeted a convoy belonging to the LNA outside Tarhuna.",
                 "Artillery hit positions held by the Libyan National Army in Tarhuna overnight.",
                 "استهدف الطيران المسير رتلا تابعا لقوات حفتر قرب ترهونة.",
                 "قصفت المدفعية مواقع موالية لقوات حفتر في ترهونة."):
        found = at(text, TARHUNA)
        assert (Side.LNA, ClaimType.STRIKE) not in found, text
        assert found == {(Side.GNA, ClaimType.STRIKE)}, text


def test_the_side_that_launched_a_repelled_attack_is_not_the_repeller():
    for text in ("The army said it had repelled an attack launched at dawn by Haftar's forces on Ain Zara.",
                 "Troops beat back an assault mounted overnight by the LNA on Ain Zara, the ministry said.",
                 "صدت القوات هجوما شنته فجر اليوم قوات حفتر على عين زارة."):
        assert at(text, AIN_ZARA) & {(Side.LNA, ClaimType.REPELLED), (Side.GNA, ClaimType.REPELLED)} == {
            (Side.GNA, ClaimType.REPELLED)}, text


def test_a_passive_repelled_by_names_the_repeller():
    assert (Side.GNA, ClaimType.REPELLED) in at("An attack on Ain Zara was repelled by GNA forces.", AIN_ZARA)


def test_troops_of_a_side_still_act():
    assert at("Troops of the LNA withdrew from Tarhuna on Friday.", TARHUNA) == {(Side.LNA, ClaimType.WITHDRAWAL)}


SALAH_AL_DIN, MISRATA, MITIGA = "mihwar:salah_al_din", "gn:2214846", "mihwar:mitiga_airport"


def test_our_units_in_a_sides_own_media_are_that_side():
    text = "وأكد مصدر ميداني أن وحداتنا تقدمت فجر اليوم في محور صلاح الدين."
    assert at(text, SALAH_AL_DIN, source="شعبة الإعلام الحربي") == {(Side.LNA, ClaimType.ADVANCE)}
    assert at(text, SALAH_AL_DIN, source="المكتب الإعلامي لعملية بركان الغضب") == {(Side.GNA, ClaimType.ADVANCE)}


def test_a_side_named_in_a_relative_clause_after_the_trigger_is_not_its_agent():
    text = "وأكد مصدر ميداني أن وحداتنا تقدمت في محور صلاح الدين حيث المواقع التي كانت تتمركز فيها المليشيات."
    assert (Side.GNA, ClaimType.ADVANCE) not in at(text, SALAH_AL_DIN, source="شعبة الإعلام الحربي")
    text = "Forces advanced in Salah al-Din, taking positions which Haftar's militias had held for months."
    assert (Side.LNA, ClaimType.ADVANCE) not in at(text, SALAH_AL_DIN)


def test_where_aircraft_take_off_from_is_no_place_of_the_strike():
    text = "The army will strike any drone that takes off from Misrata or Mitiga, the spokesman warned."
    assert at(text, MISRATA) == set() and at(text, MITIGA) == set()
    text = "قال المتحدث إن الطائرات المسيرة التي تقلع من مصراتة قصفت مواقع في ترهونة."
    assert at(text, MISRATA) == set()


def test_its_forces_said_by_unnamed_sources_are_not_the_outlets_side():
    text = "لكن مصادر عسكرية قالت لوسائل إعلام محلية إن قواتها انسحبت من سرت."
    assert (Side.LNA, ClaimType.WITHDRAWAL) not in at(text, "mihwar:sirte", source="المرصد")


TRIPOLI, MURZUQ = "gn:2210247", "gn:2214603"


def test_who_reports_the_dead_of_an_attack_is_not_its_author():
    for text in ("At least 30 people were killed in an attack on a military academy in Tripoli, GNA officials said.",
                 "At least 30 people were killed in an attack on Tripoli, according to officials of the Government "
                 "of National Accord (GNA).",
                 "قالت وزارة الصحة في حكومة الوفاق إن 30 شخصا قتلوا في قصف على طرابلس."):
        assert {side for side, _kind in at(text, TRIPOLI)} == {None}, text


def test_a_side_reporting_its_own_strikes_still_struck():
    assert at("The LNA said its air force had carried out precision strikes in Murzuq.", MURZUQ) == {
        (Side.LNA, ClaimType.STRIKE)}


WISHKA, SIRTE, JUFRA = "mihwar:al_wishka", "mihwar:sirte", "gn:2219944"


def test_a_side_named_with_by_far_after_the_trigger_is_its_author():
    text = "The operation answers the continuous shelling of Tripoli's residential neighbourhoods by Haftar's militias."
    assert at(text, TRIPOLI) == {(Side.LNA, ClaimType.STRIKE)}


def test_places_in_an_operations_rooms_name_carry_no_claim():
    text = "The Operations Room of Sirte and Al-Jufra Liberation said its forces repelled an attack on Al-Wishka."
    assert at(text, SIRTE) == set() and at(text, JUFRA) == set()


def test_an_attack_by_a_named_side_is_repelled_by_its_enemy_and_is_that_sides_attack():
    text = "Its forces had repelled an attack by Haftar's militias on Al-Wishka, the operations room said."
    assert at(text, WISHKA) == {(Side.GNA, ClaimType.REPELLED), (Side.LNA, ClaimType.ATTACK)}


ABU_GRAIN, WATIYA, ABU_SALIM = "mihwar:abu_grain", "mihwar:al_watiya_air_base", "mihwar:abu_salim"


def test_places_in_an_arabic_operations_rooms_name_carry_no_claim():
    text = "وقالت غرفة عمليات تحرير سرت والجفرة في بيان إن قواتها قصفت تمركزات في أبوقرين."
    assert at(text, SIRTE) == set() and at(text, JUFRA) == set()
    text = "قالت غرفة عمليات تأمين وحماية سرت والجفرة إن قوات حفتر هاجمت محور أبوقرين."
    assert at(text, SIRTE) == set() and at(text, ABU_GRAIN) == {(Side.LNA, ClaimType.ATTACK)}


def test_a_spokesman_who_sees_a_retreat_speaks_for_his_side():
    text = ("من جهته، رأى المتحدث باسم قوات حكومة الوفاق أن ما حدث هزيمة، مؤكدا أن القوات التابعة للحكومة "
            "تطارد القوات المعتدية في محور صلاح الدين.")
    assert at(text, SALAH_AL_DIN) == {(Side.GNA, ClaimType.ADVANCE)}


def test_until_it_took_a_base_is_still_taking_it():
    assert at("واصلت قوات الوفاق تقدمها حتى سيطرت على قاعدة الوطية.", WATIYA) == {(Side.GNA, ClaimType.CONTROL)}


def test_a_ministry_reporting_dead_under_its_governments_bracketed_name_did_not_strike():
    text = ("Three sisters were killed when a rocket hit their home in Abu Salim, the health ministry of the "
            "UN-recognised Government of National Accord (GNA) said.")
    assert {side for side, _kind in at(text, ABU_SALIM)} == {None}


def test_a_quoted_phrase_is_part_of_the_sentence_not_a_statement_of_its_own():
    text = ("Haftar's spokesman said his forces had withdrawn from Tarhuna in a \"tactical redeployment\" "
            "to reposition on other fronts.")
    assert at(text, TARHUNA) == {(Side.LNA, ClaimType.WITHDRAWAL)}


def test_a_sentence_whose_own_subject_speaks_is_not_the_previous_speakers():
    text = ("Al-Mismari said the army repelled the attack. The GNA's new operation, announced on Saturday, said its "
            "forces had reached the western gates of Sirte.")
    assert (Side.LNA, ClaimType.ADVANCE) not in at(text, SIRTE)


TAJOURA = "mihwar:tajoura"


def test_a_ministry_of_the_side_reporting_dead_does_not_make_the_raids_its_own():
    text = ("في المقابل، قالت وزارة الصحة في حكومة الوفاق إن الغارات أصابت منازل مدنية في تاجوراء، وأسفرت عن مقتل "
            "شخصين، واصفة الهجوم بأنه جريمة حرب.")
    assert {side for side, _kind in at(text, TAJOURA)} == {None}
    text = "قالت وزارة الصحة في حكومة الوفاق إن قصف قوات حفتر على تاجوراء أسفر عن مقتل شخصين."
    assert at(text, TAJOURA) == {(Side.LNA, ClaimType.STRIKE)}


def test_a_side_that_did_not_comment_on_raids_did_not_carry_them_out():
    text = "The GNA did not comment on the reported airstrikes in Misrata, some 200 km east of Tripoli."
    assert {side for side, _kind in at(text, MISRATA)} == {None}
    text = "ولم تعلق حكومة الوفاق على الغارات التي استهدفت مصراتة."
    assert (Side.GNA, ClaimType.STRIKE) not in at(text, MISRATA)


def test_a_change_of_hands_with_no_side_named_is_no_claim_but_an_unclaimed_strike_is():
    assert at("Forces entered Tarhuna on Friday after the defenders withdrew, residents said.", TARHUNA) == set()
    assert at("An air strike hit Tarhuna on Friday, residents said.", TARHUNA) == {(None, ClaimType.STRIKE)}


GHARYAN = "mihwar:gharyan"


def test_the_object_after_a_time_aside_belongs_to_the_verb_before_it():
    assert at("دخلت قوات الوفاق، أمس الثلاثاء، مدينة ترهونة.", TARHUNA) == {(Side.GNA, ClaimType.CONTROL)}


def test_with_no_side_speaking_they_are_the_side_named_before():
    text = "GNA forces entered Gharyan on Tuesday, two days after they seized Tarhuna."
    assert at(text, TARHUNA) == {(Side.GNA, ClaimType.CONTROL)}
    text = "لم تعلق حكومة الوفاق على خسارة المدينة، لكن مصادر عسكرية قالت إن قواتها انسحبت من سرت."
    assert at(text, SIRTE) == {(Side.GNA, ClaimType.WITHDRAWAL)}


def test_they_in_what_a_side_says_is_that_side_until_another_side_is_named():
    assert at("The GNA said its forces repelled an attack on Ain Zara and that they then advanced on Tarhuna.",
              TARHUNA) == {(Side.GNA, ClaimType.ADVANCE)}
    # with the enemy named in between, "they" may be either: not the side named last, nor the speaker
    assert at("The GNA said its forces repelled an attack by Haftar's militias on Ain Zara and that they then "
              "advanced on Tarhuna.", TARHUNA) == set()
    assert at("Volcano of Rage said the fighters belonged to Wagner and that they had pulled out of their positions "
              "in Salah al-Din.", SALAH_AL_DIN) == set()


def test_a_pronoun_before_the_one_who_speaks_later_in_another_clause_is_nobodys():
    assert at("Its forces pulled out of Tarhuna on Friday, two days after the GNA announced the capture of the "
              "airport.", TARHUNA) == set()
    assert at("Its forces entered Tarhuna on Friday, Mohamed Gnono said.", TARHUNA) == {(Side.GNA, ClaimType.CONTROL)}


def test_with_two_actors_named_before_a_pronoun_it_is_nobodys():
    assert at("Haftar's LNA launched an offensive against the GNA in April, and its forces seized Gharyan.",
              GHARYAN) == set()
    assert at("Residents said the LNA had shelled the area before they fled Ain Zara.", AIN_ZARA) == set()


def test_first_person_words_quoted_by_an_outlet_are_nobodys_without_a_speaker():
    assert at("قال قائد ميداني لسكاي نيوز عربية إن قواتنا سيطرت على معسكر اليرموك.", "mihwar:yarmouk_camp",
              source="سكاي نيوز عربية") == set()


def test_in_a_casualty_report_no_side_is_guessed_once_the_reporters_is_set_aside():
    text = "The GNA said the drone strikes on Tarhuna, where Haftar's forces had massed, killed 20 fighters."
    assert {side for side, _kind in at(text, TARHUNA)} == {None}
    text = "Five civilians were killed in shelling on Tarhuna, near a GNA base, the GNA said."
    assert {side for side, _kind in at(text, TARHUNA)} == {None}


def test_by_after_a_passive_names_who_repelled():
    assert at("تم صد هجوم على عين زارة من قبل قوات الوفاق.", AIN_ZARA) == {(Side.GNA, ClaimType.REPELLED)}


def test_the_side_that_runs_a_struck_hospital_did_not_strike_it():
    text = "A drone strike hit a field hospital near Gharyan operated by the GNA."
    assert (Side.GNA, ClaimType.STRIKE) not in at(text, GHARYAN)


def test_a_prison_that_was_under_a_sides_control_is_no_control_news():
    text = "فيما أفرجت القوات عن عشرات المحتجزين من سجن كان تحت سيطرة المليشيات في صبراتة."
    assert at(text, "mihwar:sabratha") == set()


def test_the_next_goal_is_not_taken():
    text = "وقالت القوات إنها تتقدم نحو سرت، مشيرة إلى أن الهدف التالي هو تحرير قاعدة الجفرة الجوية."
    assert all(kind is not ClaimType.CONTROL for _side, kind in at(text, "mihwar:jufra_air_base"))


def test_a_lowercase_name_of_several_words_is_still_a_place():
    text = "Al-Mismari said the army repelled an attack by the GNA's militias on the airport road axis on Sunday."
    assert (Side.LNA, ClaimType.REPELLED) in at(text, "mihwar:airport_road")


def test_who_ended_an_attack_did_not_launch_it():
    text = "وساعد الدعم التركي حكومة الوفاق على تحقيق تقدم، لتنهي قواتها هجوما على طرابلس أشعل معارك في ضواحيها."
    assert at(text, TRIPOLI) == set()
    assert at("The GNA ended Haftar's offensive on Tripoli in June.", TRIPOLI) == {(Side.LNA, ClaimType.ATTACK)}


def test_a_strike_told_without_its_side_and_then_with_it_is_one_sided_strike():
    an = extract(Article("t", "", "An air strike hit a gathering in Murzuq late on Saturday, an official said. "
                         "The LNA said on Monday its air force had carried out precision strikes in Murzuq.",
                         dt.date(2019, 8, 5), "AFP"))
    assert {(c.side, c.claim) for c in an.claims if c.place_id == MURZUQ} == {(Side.LNA, ClaimType.STRIKE)}


def test_a_place_in_a_relative_clause_describing_the_place_before_gets_no_claim():
    text = "ما دفع قوات الوفاق إلى التراجع من الوشكة نحو أبوقرين التي تعد البوابة الجنوبية الشرقية لمصراتة."
    assert at(text, MISRATA) == set() and at(text, WISHKA) == {(Side.GNA, ClaimType.WITHDRAWAL)}


PORT = "mihwar:tripoli_port"


def test_the_port_of_tripoli_is_a_place_of_its_own_and_a_ship_hit_there_is_the_target():
    assert at("قالت القيادة العامة إنها استهدفت سفينة تركية محملة بالأسلحة في ميناء طرابلس.", PORT) == {
        (Side.LNA, ClaimType.STRIKE)}
    assert at("Haftar's forces shelled Tripoli port, where a Turkish vessel was docked.", PORT) == {
        (Side.LNA, ClaimType.STRIKE)}


def test_a_side_that_tells_of_a_strike_after_it_is_no_striker():
    text = "Rockets hit the port of Tripoli on Tuesday, damaging a Turkish cargo ship, the GNA said."
    assert {side for side, _kind in at(text, PORT)} == {None}
    assert at("The LNA said its drones struck Tarhuna.", TARHUNA) == {(Side.LNA, ClaimType.STRIKE)}


def test_from_after_an_attack_names_its_author():
    assert at("وقال المسماري إن مواقع الجيش في منطقة الوشكة تعرضت لهجوم من الميليشيات المدعومة تركيا.",
              WISHKA) == {(Side.GNA, ClaimType.ATTACK)}
    assert at("Army positions in al-Wishka came under an attack from Turkish-backed militias, the LNA said.",
              WISHKA) & {(Side.LNA, ClaimType.ATTACK)} == set()


def test_what_ended_an_attack_is_not_its_target():
    text = "ويرى مراقبون أن خسارة ترهونة تنهي فعليا الهجوم الذي أطلقه حفتر للسيطرة على طرابلس."
    assert at(text, TARHUNA) == set()
    assert at(text, TRIPOLI) == {(Side.LNA, ClaimType.ATTACK)}


def test_what_will_go_on_until_a_place_is_taken_has_not_taken_it():
    text = "وأكد المركز الإعلامي لعملية بركان الغضب أن الضربات ستتواصل حتى تطهير قاعدة الوطية من المرتزقة."
    assert (Side.GNA, ClaimType.CONTROL) not in at(text, WATIYA)


def test_a_side_in_a_closed_relative_clause_does_not_act_after_it():
    text = ("وأكد مصدر عسكري أن وحداتنا تقدمت في محور صلاح الدين وسيطرت على المواقع التي كانت تتمركز فيها "
            "المليشيات، كما أحكمت سيطرتها على منطقة عين زارة.")
    assert at(text, AIN_ZARA, "شعبة الإعلام الحربي") == {(Side.LNA, ClaimType.CONTROL)}


def test_an_english_side_after_the_verb_is_its_object_not_its_subject():
    text = ("GNA spokesman Mohamed Gnounou said the army's air force had carried out a series of raids overnight. He added "
            "that ground units stormed the outer perimeter of al-Watiya on Thursday and were still engaging the "
            "militias around it.")
    assert at(text, WATIYA) == {(Side.GNA, ClaimType.ATTACK)}


def test_a_place_that_says_where_someone_is_from_is_no_claims_place():
    assert at("Misrata fighters clashed with LNA forces overnight.", MISRATA) == set()
    assert at("Drones struck Misrata fighters in Tarhuna.", MISRATA) == set()
    assert at("Drones struck Misrata fighters in Tarhuna.", TARHUNA) == {(None, ClaimType.STRIKE)}


def test_under_the_control_of_is_a_state_not_a_purpose():
    assert at("وباتت ترهونة خاضعة لسيطرة قوات الوفاق بالكامل.", TARHUNA) == {(Side.GNA, ClaimType.CONTROL)}
    # told in the past, it is background
    assert at("وكانت مدينتا صبراتة وترهونة قد خضعتا لسيطرة مليشيات حفتر بعد أيام من بدء هجومها على طرابلس.",
              TARHUNA) == set()


def test_a_bare_army_in_a_sides_quoted_words_is_that_sides_own():
    text = "وقال أحمد المسماري في مؤتمر صحفي إن «القوات المسلحة صدت هجوما على ترهونة من عدة محاور»."
    assert (Side.LNA, ClaimType.REPELLED) in at(text, TARHUNA, "الأناضول")
    assert (Side.GNA, ClaimType.REPELLED) not in at(text, TARHUNA, "الأناضول")


def test_until_taking_a_place_is_a_goal():
    text = "ورفضت حكومة الوفاق المبادرة، معلنة مواصلة العملية حتى السيطرة على سرت وقاعدة الجفرة الجوية."
    assert (Side.GNA, ClaimType.CONTROL) not in at(text, SIRTE)
    assert (Side.GNA, ClaimType.CONTROL) not in at("وتتعهد حكومة الوفاق باستعادة سرت.", SIRTE)


def test_who_is_pursued_does_not_advance():
    text = "وقال قنونو إن «قواتنا تبسط سيطرتها على قصر بن غشير، وتلاحق فلول الميليشيات الفارة باتجاه ترهونة»."
    assert at(text, TARHUNA) == {(Side.GNA, ClaimType.ADVANCE)}


def test_a_list_of_places_forces_come_from_carries_no_claim():
    text = ("وصلت أرتال عسكرية جديدة إلى تاورغاء قادمة من زوارة والزاوية وغريان، ضمن الاستعدادات لعملية تحرير "
            "قاعدة الجفرة الجوية من قبضة مرتزقة فاغنر.")
    assert at(text, GHARYAN) == set()
    # preparing to take it from Wagner: an intended attack, by Wagner's enemy
    assert at(text, "mihwar:jufra_air_base") == {(Side.GNA, ClaimType.ATTACK)}
    assert at("Reinforcements arriving from Zuwara, Zawiya and Gharyan clashed with LNA units near Tarhuna.",
              "mihwar:zawiya") == set()


def test_a_side_joined_to_a_struck_one_was_struck_too():
    text = "Warplanes struck gatherings of the terrorist militias and Syrian mercenaries at the entrance of Tarhuna."
    assert at(text, TARHUNA) == {(Side.LNA, ClaimType.STRIKE)}
    text = ("نفذت مقاتلات سلاح الجو التابع للقوات المسلحة العربية الليبية، أمس الجمعة، طلعات استهدفت تجمعات "
            "للميليشيات الإرهابية والمرتزقة السوريين في منطقة ترهونة.")
    assert at(text, TARHUNA) == {(Side.LNA, ClaimType.STRIKE)}


def test_cleared_of_the_last_pockets_of_a_side_is_taken_from_it():
    text = "وأعلنت القوات تطهير عين زارة من آخر جيوب ميليشيات حفتر."
    assert at(text, AIN_ZARA) == {(Side.GNA, ClaimType.CONTROL)}


def test_a_place_shares_the_trigger_of_the_place_before_only_as_part_of_its_predicate():
    text = "وقال الجيش الوطني إن قواته لا تزال تسيطر على ترهونة وعلى الطريق المؤدي إلى مدينة غريان."
    assert at(text, GHARYAN) == {(Side.LNA, ClaimType.CONTROL)}
    text = "GNA forces seized Sabratha on Monday after a night of fighting, and residents who had fled to Zawiya returned."
    assert at(text, "mihwar:zawiya") == set()


def test_where_an_advance_sets_out_from_is_not_advanced_on():
    text = "The statement added that fresh LNA reinforcements had reached the western front from Al-Jufra and Tarhuna."
    assert at(text, TARHUNA) == set()
    assert at(text, JUFRA) == set()


def test_a_place_listed_after_where_forces_fled_to_is_a_destination_too():
    text = ("GNA forces seized Ain Zara after the militias abandoned their positions and fled towards Tarhuna "
            "and Souq al-Juma.")
    assert at(text, TARHUNA) == set()
    text = "وقال المسماري إن وحداته «انسحبت إلى مواقع خلفية» خارج ترهونة وغريان لتفادي سقوط ضحايا مدنيين."
    assert at(text, TARHUNA) == {(Side.LNA, ClaimType.WITHDRAWAL)}
    assert at(text, GHARYAN) == {(Side.LNA, ClaimType.WITHDRAWAL)}



def test_a_repelled_attempt_to_advance_on_a_place_was_repelled_there():
    text = "GNA units repelled an attempt by Haftar's militias to advance on Ain Zara and destroyed a tank."
    assert at(text, AIN_ZARA) == {(Side.GNA, ClaimType.REPELLED), (Side.LNA, ClaimType.ATTACK)}
    text = "قالت قوات الوفاق إنها صدت محاولة لمليشيات حفتر للتقدم نحو عين زارة."
    assert at(text, AIN_ZARA) == {(Side.GNA, ClaimType.REPELLED), (Side.LNA, ClaimType.ATTACK)}
    # a place named between the two is the repel's own; the advance after it is another event
    text = "GNA forces repelled an attack on Ain Zara and advanced on Tarhuna."
    assert (Side.GNA, ClaimType.REPELLED) not in at(text, TARHUNA)


def test_a_side_named_after_an_event_in_what_an_institution_announced_does_not_speak():
    text = ("وفي الوقت الذي أعلنت فيه إدارة مطار معيتيقة تعليق الرحلات إثر سقوط قذائف أطلقتها مليشيات حفتر، "
            "استهدفت مدفعيتنا الثقيلة تمركزات العدو في محور صلاح الدين.")
    assert at(text, SALAH_AL_DIN, "المركز الإعلامي لعملية بركان الغضب") == {(Side.GNA, ClaimType.STRIKE)}


def test_a_side_after_a_speech_verb_speaks_it_does_not_fire():
    text = "وجاء ذلك بعد ساعات من استهداف مطار معيتيقة بقذائف قالت حكومة الوفاق إن قوات حفتر أطلقتها من مواقعها."
    assert (Side.GNA, ClaimType.STRIKE) not in at(text, MITIGA)


def test_who_was_repelled_attacked():
    text = ("Army units repelled an attempt by the militias from Gharyan and Zawiya to advance on Al-Asabiaa, "
            "a military source told Al Marsad.")
    assert (Side.LNA, ClaimType.ATTACK) not in at(text, "mihwar:al_asabiaa", "Al Marsad English")
    assert (Side.GNA, ClaimType.ATTACK) in at(text, "mihwar:al_asabiaa", "Al Marsad English")


def test_a_side_in_a_where_clause_is_not_the_striker():
    text = ("The campaign began in late July with strikes on the Air College in Misrata, where Turkish officers "
            "operate the drones.")
    assert (Side.GNA, ClaimType.STRIKE) not in at(text, MISRATA)


def test_from_the_direction_of_a_place_is_where_an_advance_sets_out():
    text = "The aggressors advanced at dawn from the direction of al-Wishka under the cover of drones, the GNA said."
    assert at(text, WISHKA) == set()


def test_nationality_of_aircraft_names_a_side():
    assert at("من جهة أخرى، عاد الطيران الإماراتي المسير لقصف الأحياء السكنية في عين زارة.", AIN_ZARA) == {
        (Side.LNA, ClaimType.STRIKE)}
    assert at("Turkish drones struck an LNA convoy near Tarhuna on Sunday.", TARHUNA) == {(Side.GNA, ClaimType.STRIKE)}


def test_what_serves_a_sides_aircraft_was_struck():
    text = "استهدفت إحدى الضربات غرفة تحكم بالطائرات المسيرة التركية في مصراتة."
    assert at(text, MISRATA) == {(Side.LNA, ClaimType.STRIKE)}
    assert at("Warplanes struck hangars for Turkish drones in Misrata.", MISRATA) == {(Side.LNA, ClaimType.STRIKE)}


def test_a_side_set_in_quotes_by_itself_still_speaks():
    text = ("وقال المسماري إن قواته صدت هجوما في الجنوب. وكانت غرفة عمليات سرت والجفرة، التابعة لـ«الوفاق»، قد أعلنت "
            "السبت إطلاق عملية جديدة، وقالت إن قواتها سيطرت على منطقة الوشكة.")
    assert at(text, WISHKA, "الشرق الأوسط") == {(Side.GNA, ClaimType.CONTROL)}


def test_a_redeployment_told_by_a_side_is_its_own_withdrawal():
    text = "The heroes of the base redeployed on Monday together with the units stationed in Tiji."
    assert at(text, "mihwar:tiji", "War Information Division - General Command") == {(Side.LNA, ClaimType.WITHDRAWAL)}


def test_a_taking_that_is_a_matter_of_time_has_not_happened():
    assert (Side.GNA, ClaimType.CONTROL) not in at("وأكد قنونو أن تحرير ترهونة بات مسألة وقت.", TARHUNA)
    text = "GNA commanders said the liberation of Tarhuna is only a matter of time."
    assert (Side.GNA, ClaimType.CONTROL) not in at(text, TARHUNA)
    # "his nearly three-month-old offensive" is no "is near"
    text = "GNA forces said they had seized Tarhuna, the main base of Haftar for his nearly year-old offensive."
    assert (Side.GNA, ClaimType.CONTROL) in at(text, TARHUNA)


def test_positions_of_groups_of_a_side_were_struck():
    text = ("نفذت مقاتلات السلاح الجوي التابع للقيادة العامة للقوات المسلحة العربية الليبية، فجر اليوم الجمعة، غارات "
            "استهدفت تمركزات مجموعات الحشد الميليشياوي والعصابات الإرهابية داخل مدينة ترهونة.")
    assert (Side.GNA, ClaimType.STRIKE) not in at(text, TARHUNA, "شعبة الإعلام الحربي")


def test_a_quote_in_a_sentence_with_two_speakers_is_not_given_to_the_first():
    text = ("وقال المتحدث باسم قوات الوفاق محمد قنونو إن قواته صدت الهجوم، فيما قال المسماري في مؤتمر صحفي: "
            "«القوات المسلحة سيطرت على منطقة صلاح الدين بالكامل وتتقدم نحو وسط المدينة».")
    assert (Side.GNA, ClaimType.CONTROL) not in at(text, SALAH_AL_DIN, "العربية.نت")


def test_a_repel_and_a_later_advance_are_two_events():
    assert (Side.GNA, ClaimType.REPELLED) not in at("صدت قوات الوفاق الهجوم وتقدمت نحو منطقة ترهونة.", TARHUNA)
    assert (Side.GNA, ClaimType.REPELLED) not in at(
        "GNA forces repelled the assault and advanced on Tarhuna.", TARHUNA)


def test_a_side_made_to_reposition_is_the_enemy():
    text = "وأجبرت الضربات الجوية الدقيقة المجموعات المعتدية على إعادة التمركز خارج مدينة ترهونة."
    assert (Side.GNA, ClaimType.WITHDRAWAL) not in at(text, TARHUNA, "المركز الإعلامي لعملية بركان الغضب")


def test_a_joined_side_that_acts_itself_is_not_struck():
    text = "Drones hit positions of Haftar's fighters and GNA units then stormed Tarhuna."
    assert (Side.LNA, ClaimType.ATTACK) not in at(text, TARHUNA)


def test_an_attack_from_the_remnants_of_a_side_is_that_sides():
    text = "وتعرضت مواقع قوات الوفاق في ترهونة لهجوم من فلول ميليشيات حفتر."
    assert (Side.GNA, ClaimType.ATTACK) not in at(text, TARHUNA)
    assert (Side.GNA, ClaimType.ATTACK) not in at("وتعرضت قوات الوفاق لهجوم من قوات حفتر في ترهونة.", TARHUNA)


def test_near_and_after_do_not_make_an_intent():
    assert (Side.GNA, ClaimType.CONTROL) in at("GNA forces seized the Yarmouk camp, which is near Tarhuna, on "
                                               "Wednesday.", YARMOUK)
    text = "وقال قنونو إن قواتنا ستواصل التقدم بعد أن سيطرت على مدينة ترهونة."
    assert (Side.GNA, ClaimType.CONTROL) in at(text, TARHUNA)
    text = "GNA forces entered Tarhuna on Friday, and the capture of Bani Walid is a matter of time, Gnounou said."
    assert (Side.GNA, ClaimType.CONTROL) in at(text, TARHUNA)


def test_a_speaker_whose_title_names_an_operation_still_speaks():
    text = ("وقال المتحدث باسم غرفة عمليات تحرير سرت والجفرة التابعة لحكومة الوفاق إن قواتنا سيطرت على منطقة "
            "الوشكة.")
    assert at(text, WISHKA) == {(Side.GNA, ClaimType.CONTROL)}


def test_where_with_an_aside_keeps_its_subject():
    text = "Fighting raged south of Tripoli, where GNA forces, backed by drones, seized Tarhuna on Wednesday."
    assert (Side.GNA, ClaimType.CONTROL) in at(text, TARHUNA)


def test_moving_equipment_is_no_withdrawal():
    text = "Turkey is repositioning air defence systems at al-Watiya air base, a GNA source said."
    assert {kind for _side, kind in at(text, WATIYA)} & {ClaimType.WITHDRAWAL} == set()


def test_a_side_that_advanced_and_repelled_is_the_repeller():
    text = ("Our forces tighten the noose on the terrorist militias, where our heroes advanced yesterday in Salah "
            "al-Din and repelled an attempt to infiltrate towards Ain Zara.")
    assert at(text, AIN_ZARA, "War Information Division - General Command") == {(Side.LNA, ClaimType.REPELLED)}


def test_systems_of_a_side_were_destroyed_not_destroying():
    text = ("وقد أسهمت ضربات سلاحنا الجوي، التي انطلقت من قاعدة الوطية، في تدمير منظومتي دفاع جوي روسيتين من طراز "
            "بانتسير على أطراف ترهونة خلال الأيام الماضية.")
    assert (Side.LNA, ClaimType.STRIKE) not in at(text, TARHUNA, "المركز الإعلامي لعملية بركان الغضب")


def test_determined_to_pursue_is_an_intent():
    text = "إن تحرير غريان ليس إلا البداية، وأبطالنا عازمون على ملاحقة المعتدين حتى ترهونة."
    assert (Side.LNA, ClaimType.ADVANCE) not in at(text, TARHUNA, "المركز الإعلامي لعملية بركان الغضب")
    assert (Side.GNA, ClaimType.ADVANCE) not in at(text, TARHUNA, "المركز الإعلامي لعملية بركان الغضب")


KHALLAT_FURJAN, WADI_RABIE, QASR_BIN_GHASHIR = ("mihwar:khallat_al_furjan", "mihwar:wadi_al_rabie",
                                               "mihwar:qasr_bin_ghashir")


def test_a_verb_after_then_shares_the_subject_of_the_first_verb():
    """"X repelled an attack by Y on A, then advanced on B": X advanced, not Y, the side named nearest."""
    text = ("On Monday our forces repelled an attack launched by Haftar's militias on Ain Zara, "
            "then advanced towards Khallat al-Furjan.")
    assert at(text, KHALLAT_FURJAN, source="Volcano of Rage media office") == {(Side.GNA, ClaimType.ADVANCE)}
    text = "دخلت قواتنا بلدة أبوقرين بعد أن أجبرت مليشيات حفتر على الانسحاب منها، ثم طاردت فلولهم حتى الوشكة."
    assert at(text, WISHKA, source="المكتب الإعلامي لعملية بركان الغضب") == {(Side.GNA, ClaimType.ADVANCE)}


def test_a_verb_with_its_own_subject_after_then_keeps_it():
    text = "GNA forces shelled Qasr bin Ghashir, then Haftar's forces withdrew from Wadi al-Rabie."
    assert at(text, WADI_RABIE) == {(Side.LNA, ClaimType.WITHDRAWAL)}


def test_an_attack_a_side_repelled_is_its_enemys():
    """«صدت قواتنا، ليل الأربعاء، الهجوم الأخير على X»: LNA media repelled it, so the GNA attacked X."""
    text = "صدت وحداتنا، ليل أمس الأربعاء، الهجوم الأخير من نوعه على منطقة أبوقرين."
    assert at(text, ABU_GRAIN, source="شعبة الإعلام الحربي") == {(Side.GNA, ClaimType.ATTACK)}


def test_any_attack_is_no_event():
    assert at("Analysts say any attack on Sirte would need air cover, while Haftar's forces dig in.", SIRTE) == set()
    assert at("ويرى محللون أن أي هجوم على سرت يحتاج إلى غطاء جوي، بينما تتحصن قوات حفتر في محيطها.", SIRTE) == set()


def test_an_operation_named_for_its_goal_takes_nothing():
    """«معركة تحرير طرابلس» is what Haftar's forces set out to do: an attack on Tripoli, not its capture."""
    assert at("أطلقت قوات حفتر في أبريل معركة تحرير طرابلس.", TRIPOLI) == {(Side.LNA, ClaimType.ATTACK)}
    assert at("أكدت قوات الوفاق جاهزيتها لبدء عملية استعادة سرت.", SIRTE) <= {(Side.GNA, ClaimType.ATTACK)}


def test_a_word_of_a_units_name_is_no_trigger():
    """The Sirte Protection and Security Force is a GNA unit; "protect and secure" in its name holds nothing."""
    assert at("وقال آمر غرفة عمليات تحرير سرت والجفرة إن قواته في حالة تأهب.", SIRTE) == set()
    assert at("قوة حماية وتأمين سرت والجفرة | المكتب الإعلامي", JUFRA,
              source="المكتب الإعلامي لعملية بركان الغضب") == set()


def test_a_drone_named_in_a_statement_does_not_speak():
    """«بحسب البيان، طائرة تركية مسيرة»: the statement speaks, so «وحداتنا» after it stay the outlet's side."""
    text = ("كما أسقطت الدفاعات الجوية، بحسب البيان، طائرة تركية مسيرة فوق ترهونة. "
            "وأكدت الشعبة أن وحداتنا صدت هجوما للميليشيات في محور عين زارة.")
    assert (Side.LNA, ClaimType.REPELLED) in at(text, AIN_ZARA, source="شعبة الإعلام الحربي")
    assert (Side.GNA, ClaimType.REPELLED) not in at(text, AIN_ZARA, source="شعبة الإعلام الحربي")


def test_a_checkpoint_of_a_side_was_struck():
    assert at("A drone struck a checkpoint of the LNA near Tarhuna on Saturday.", TARHUNA) == {
        (Side.GNA, ClaimType.STRIKE)}


def test_the_invaders_are_the_other_side_of_whoever_speaks():
    text = "A drone of the invaders struck a family house in Tarhuna on Sunday."
    assert at(text, TARHUNA, source="LNA War Information Division") == {(Side.GNA, ClaimType.STRIKE)}
    assert at(text, TARHUNA, source="Volcano of Rage media office") == {(Side.LNA, ClaimType.STRIKE)}
    assert at(text, TARHUNA, source="Reuters") == {(None, ClaimType.STRIKE)}


HIRA = "mihwar:al_hira"


def test_units_of_our_forces_are_a_part_not_a_source():
    """«وحدات من قواتنا»: units of our forces, not something taken from them."""
    text = "أحكمت وحدات من قواتنا المسلحة، مساء أمس، سيطرتها على منطقة الهيرة، بعد معارك مع الميليشيات الإرهابية والمرتزقة السوريين."
    assert at(text, HIRA, source="شعبة الإعلام الحربي") == {(Side.LNA, ClaimType.CONTROL)}


def test_this_attack_is_not_given_the_speakers_side():
    """«ويأتي هذا الهجوم بعد…»: an attack told before; the outlet's side is no guess for it."""
    text = "ويأتي هذا الهجوم بعد أسابيع من محاولات متكررة لاختراق الدفاعات في أبوقرين."
    assert at(text, ABU_GRAIN, source="المكتب الإعلامي لعملية بركان الغضب") == {(None, ClaimType.ATTACK)}


GHARYAN_CITY, SALAH = "mihwar:gharyan", "mihwar:salah_al_din"


def test_units_of_a_side_act():
    """"Units of the LNA shelled X": units are the side acting, not what was struck (checkpoints are)."""
    assert at("Units of the Libyan National Army shelled Ain Zara on Wednesday, residents said.", AIN_ZARA) == {
        (Side.LNA, ClaimType.STRIKE)}
    assert at("هاجمت دوريات الجيش الوطني تمركزات المليشيات في أبوقرين.", ABU_GRAIN) == {(Side.LNA, ClaimType.ATTACK)}


def test_a_sides_own_attack_after_its_repel_is_its_own():
    text = "دحرت قوات الجيش الوطني الليبي المجموعات الإرهابية وهاجمت محور أبوقرين."
    assert at(text, ABU_GRAIN, source="شعبة الإعلام الحربي") == {(Side.LNA, ClaimType.ATTACK)}
    assert (Side.GNA, ClaimType.ATTACK) not in at(
        "Haftar's forces pushed back an advance on Tarhuna and launched an offensive on Gharyan.", GHARYAN_CITY)


def test_a_subject_named_between_keeps_its_verb_after_then():
    text = "Haftar's forces shelled Abu Salim, and Turkish drones hit back, then struck Al-Wishka."
    assert at(text, WISHKA) == {(Side.GNA, ClaimType.STRIKE)}
    text = "قصفت ميليشيات حفتر حي أبوسليم، وردت المسيرات التركية، ثم استهدفت تمركزات في الوشكة."
    assert (Side.LNA, ClaimType.STRIKE) not in at(text, WISHKA)


def test_who_fled_after_a_strike_is_not_the_striker():
    text = "قصفت قواتنا الجوية أرتال الحشد الميليشياوي قرب الوشكة، ثم فرت من منطقة أبوقرين."
    assert (Side.LNA, ClaimType.WITHDRAWAL) not in at(text, ABU_GRAIN, source="شعبة الإعلام الحربي")


def test_after_that_and_a_battle_won_are_no_back_reference_nor_intent():
    assert at("وبعد ذلك تقدمت الوحدات نحو منطقة الوشكة.", WISHKA, source="شعبة الإعلام الحربي") == {
        (Side.LNA, ClaimType.ADVANCE)}
    assert (Side.GNA, ClaimType.CONTROL) in at("احتفل أهالي غريان بنجاح معركة تحرير المدينة من قبضة ميليشيات حفتر.",
                                                GHARYAN_CITY)
